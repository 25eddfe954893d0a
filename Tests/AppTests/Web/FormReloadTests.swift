import AlvariaModels
import Crypto
import Forms
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Testing

@testable import App

/// Forms changed while the server runs: a reload (what `SIGHUP` and `forms.watch` call) through
/// the app's router, and pages opened before it submitted after it.
@Suite("Reloading forms")
struct FormReloadTests {
    /// A radio with `phone` and `mail`, sent as `contactBy`.
    static let before = """
        id: contact-choice
        title: How should we reach you?
        default: true
        fields:
          - name: contactBy
            type: radio
            required: true
            options: [{value: phone, label: Phone}, {value: mail, label: Post}]
        outcome:
          variables: {formStatus: completed}
        """
    /// The edit: `mail` renamed to `email`, and a new required field.
    static let after = """
        id: contact-choice
        title: How should we reach you?
        default: true
        fields:
          - name: contactBy
            type: radio
            required: true
            options: [{value: phone, label: Phone}, {value: email, label: Email}]
          - name: emailAddress
            type: email
            required: true
        outcome:
          variables: {formStatus: completed}
        """
    static let steps = """
        id: two-steps
        title: Two steps
        steps:
          - id: who
            title: Who you are
            fields:
              - {name: fullName, required: true}
          - id: where
            title: Where you live
            fields:
              - {name: city, required: true}
        """
    static let stepsAfter = """
        id: two-steps
        title: Two steps
        steps:
          - id: who
            title: Who you are
            fields:
              - {name: fullName, required: true}
          - id: where
            title: Where you live
            fields:
              - {name: city, required: true}
              - {name: postcode, required: true}
        """

    /// A forms folder with `files` (name -> YAML), and the app serving it.
    static func run(
        _ files: [String: String],
        _ body: @Sendable (RouterTestApp, URL) async throws -> Void
    ) async throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, yaml) in files { try write(yaml, to: name, in: folder) }
        try await RouterTestApp.run(overrides: ["FORMS_DIRECTORY": folder.path]) { app in try await body(app, folder) }
    }

    static func write(_ yaml: String, to name: String, in folder: URL) throws {
        try (yaml + "\n").write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    static func uri(_ form: String, _ sessionId: SessionID) -> String { "/f/\(form)?sessionId=\(sessionId.rawValue)" }

    static func variables(_ app: RouterTestApp, _ sessionId: SessionID) throws -> [String: String] {
        let outcome = try #require(app.poster.outcomes(sessionId).first)
        return Dictionary(uniqueKeysWithValues: outcome.map { ($0.id, $0.value) })
    }

    @Test("a page opened before an edit (a new required field, a renamed option) is validated and mapped, after it, with the version it showed")
    func pageOpenedBeforeAnEdit() async throws {
        try await Self.run(["contact.yaml": Self.before]) { app, folder in
            let sessionId = try await app.simulator.createDialog(#"{"form":"contact-choice"}"#)
            let page = try await app.get(Self.uri("contact-choice", sessionId))
            #expect(page.text.contains(#"value="mail""#))
            let token = try #require(TestApp.token(in: page.text))
            let old = try #require(app.forms.current.catalog["contact-choice"]?.version)

            try Self.write(Self.after, to: "contact.yaml", in: folder)
            #expect(await app.forms.reload(logger: quietLogger) == .applied(changed: ["contact-choice"]))
            let new = try #require(app.forms.current.catalog["contact-choice"]?.version)
            #expect(new != old)

            let sent = try await app.post(Self.uri("contact-choice", sessionId), [("_token", token), ("contactBy", "mail")])
            #expect(sent.status == .seeOther, "\(sent.text)")
            #expect(try Self.variables(app, sessionId) == ["contactBy": "mail", "formStatus": "completed"])

            // Pages opened after the edit have the new version, and its rules.
            let later = try await app.simulator.createDialog(#"{"form":"contact-choice"}"#)
            let newPage = try await app.get(Self.uri("contact-choice", later))
            #expect(newPage.text.contains(#"name="emailAddress""#))
            #expect(!newPage.text.contains(#"value="mail""#))
            let refused = try await app.submit(Self.uri("contact-choice", later), [("contactBy", "mail")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(##"href="#field-emailAddress""##))
            #expect(refused.text.contains(##"href="#field-contactBy-0""##), "mail is no longer an option")
        }
    }

    @Test("an invalid edit is refused with the messages start-up gives, the running forms stay, and the refusal is counted")
    func invalidEdit() async throws {
        try await Self.run(["contact.yaml": Self.before]) { app, folder in
            let version = try #require(app.forms.current.catalog["contact-choice"]?.version)
            try Self.write(Self.before.replacingOccurrences(of: "type: radio", with: "type: radoi"), to: "contact.yaml", in: folder)
            let logs = CapturedLogs()
            let result = await app.forms.reload(logger: logs.logger)
            let path = folder.appendingPathComponent("contact.yaml").path
            #expect(
                result == .refused(problems: [#"forms: \#(path):6:11: field "contactBy": unknown type "radoi" (did you mean "radio"?)"#])
            )
            #expect(logs.lines.contains { $0.level == .error && $0.metadata["forms.problem"]?.contains(#"unknown type "radoi""#) == true })

            #expect(app.forms.current.catalog["contact-choice"]?.version == version)
            let sessionId = try await app.simulator.createDialog(#"{"form":"contact-choice"}"#)
            let sent = try await app.submit(Self.uri("contact-choice", sessionId), [("contactBy", "phone")])
            #expect(sent.status == .seeOther)

            // A form that reads well but breaks a rule across forms is refused too.
            try Self.write(Self.before.replacingOccurrences(of: "contact-choice", with: "other"), to: "other.yaml", in: folder)
            try Self.write(Self.before, to: "contact.yaml", in: folder)
            guard case .refused(let problems) = await app.forms.reload(logger: quietLogger) else {
                Issue.record("two default forms were accepted")
                return
            }
            #expect(problems.contains { $0.contains("only one form can be the default") })

            let metrics = try PrometheusText(try await app.get("/metrics").text)
            #expect(metrics.value("forms_reloads_total", ["result": "refused"]) == 2)
            #expect(metrics.value("form_version_info", ["form": "contact-choice", "version": version]) == 1)
        }
    }

    @Test("a token naming a version no longer kept (from before a restart) is checked against the current version, with the answers kept")
    func versionNoLongerKept() async throws {
        try await Self.run(["contact.yaml": Self.after]) { app, _ in
            let sessionId = try await app.simulator.createDialog(#"{"form":"contact-choice"}"#)
            let signer = FormTokenSigner(keys: SecretKeys(current: Array(RouterTestApp.secret.utf8)), lifetime: .seconds(3600))
            let token = signer.token(sessionId: sessionId.rawValue, formId: "contact-choice", version: "0123456789ab")
            let refused = try await app.post(Self.uri("contact-choice", sessionId), [("_token", token), ("contactBy", "email")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(#"value="email" checked"#), "what was typed stays")
            let sent = try await app.post(
                Self.uri("contact-choice", sessionId),
                [("_token", token), ("contactBy", "email"), ("emailAddress", "ana@example.test")]
            )
            #expect(sent.status == .seeOther)
            #expect(try Self.variables(app, sessionId)["emailAddress"] == "ana@example.test")
        }
    }

    @Test("a token of the earlier form, without a version (a page served before the upgrade), is accepted; a version changed in a token is not")
    func tokenFormats() async throws {
        try await Self.run(["contact.yaml": Self.before]) { app, _ in
            let sessionId = try await app.simulator.createDialog(#"{"form":"contact-choice"}"#)
            let page = try await app.get(Self.uri("contact-choice", sessionId))
            let token = try #require(TestApp.token(in: page.text))
            let parts = token.split(separator: ".", omittingEmptySubsequences: false)
            #expect(parts.count == 3)
            #expect(parts[1] == app.forms.current.catalog["contact-choice"]?.version[...])
            let forged = "\(parts[0]).0123456789ab.\(parts[2])"
            let refused = try await app.post(Self.uri("contact-choice", sessionId), [("_token", forged), ("contactBy", "phone")])
            #expect(refused.status == .forbidden)

            // The earlier form: issuedAt.HMAC("v1␟session␟form␟issuedAt").
            let seconds = Int64(Date().timeIntervalSince1970)
            let mac = HMAC<SHA256>.authenticationCode(
                for: Data("v1\u{1F}\(sessionId.rawValue)\u{1F}contact-choice\u{1F}\(seconds)".utf8),
                using: SymmetricKey(data: Array(RouterTestApp.secret.utf8))
            )
            let legacy = "\(seconds).\(mac.withUnsafeBytes { Base64URL.encode($0) })"
            let sent = try await app.post(Self.uri("contact-choice", sessionId), [("_token", legacy), ("contactBy", "phone")])
            #expect(sent.status == .seeOther, "\(sent.text)")
        }
    }

    @Test("a multi-step form begun before an edit is finished, even in another browser, with the version it was begun with")
    func draftKeepsItsVersion() async throws {
        try await Self.run(["steps.yaml": Self.steps]) { app, folder in
            let sessionId = try await app.simulator.createDialog(#"{"form":"two-steps"}"#)
            let first = StepVisitor(app, formURI: Self.uri("two-steps", sessionId))
            _ = try await first.get()
            try await first.next([("fullName", "Ada Lovelace")])

            try Self.write(Self.stepsAfter, to: "steps.yaml", in: folder)
            #expect(await app.forms.reload(logger: quietLogger) == .applied(changed: ["two-steps"]))

            // Another device opens the link: the draft's version, where the person left off.
            let second = StepVisitor(app, formURI: Self.uri("two-steps", sessionId))
            let resumed = try await second.get()
            #expect(resumed.text.contains(#"name="city""#))
            #expect(!resumed.text.contains(#"name="postcode""#), "\(resumed.text)")
            let review = try await second.next([("city", "London")])
            #expect(review.hasSuffix("step=review"))
            let sent = try await second.post("submit", [])
            #expect(sent.status == .seeOther, "\(sent.text)")
            #expect(try Self.variables(app, sessionId) == ["fullName": "Ada Lovelace", "city": "London"])

            // A form begun after the edit asks for the postcode.
            let later = try await app.simulator.createDialog(#"{"form":"two-steps"}"#)
            let visitor = StepVisitor(app, formURI: Self.uri("two-steps", later))
            _ = try await visitor.get()
            try await visitor.next([("fullName", "Grace Hopper")])
            let step = try await visitor.get()
            #expect(step.text.contains(#"name="postcode""#))
        }
    }

    @Test("a form removed by a reload still takes the post of a page shown before it; new links to it are not found")
    func removedForm() async throws {
        try await Self.run(["contact.yaml": Self.before, "steps.yaml": Self.steps]) { app, folder in
            let sessionId = try await app.simulator.createDialog(#"{"form":"two-steps"}"#)
            let visitor = StepVisitor(app, formURI: Self.uri("two-steps", sessionId))
            _ = try await visitor.get()
            try FileManager.default.removeItem(at: folder.appendingPathComponent("steps.yaml"))
            #expect(await app.forms.reload(logger: quietLogger) == .applied(changed: []))

            let next = try await visitor.post("next", [("fullName", "Ada Lovelace")])
            #expect(next.status == .seeOther, "\(next.text)")
            let later = try await app.simulator.createDialog(#"{"form":"two-steps"}"#)
            #expect(try await app.get(Self.uri("two-steps", later)).status == .notFound)
        }
    }

    @Test(
        "an earlier version is kept in memory while its tokens can arrive, read back from the database after, and an undone edit serves it as current"
    )
    func retention() async throws {
        try await Self.run(["contact.yaml": Self.before]) { app, folder in
            let old = try #require(app.forms.current.catalog["contact-choice"]?.version)
            try Self.write(Self.after, to: "contact.yaml", in: folder)
            await app.forms.reload(logger: quietLogger)
            let new = try #require(app.forms.current.catalog["contact-choice"]?.version)
            #expect(await app.forms.edition("contact-choice", version: old, logger: quietLogger)?.form.field(named: "emailAddress") == nil)
            #expect(app.forms.retiredCount == 1)

            // security.formTokenLifetime, 4 h by default: a one-page form's token lives no longer.
            app.clock.advance(by: 4 * 3600 - 1)
            #expect(app.forms.keptEdition("contact-choice", version: old) != nil)
            app.clock.advance(by: 2)
            #expect(app.forms.keptEdition("contact-choice", version: old) == nil)
            #expect(app.forms.retiredCount == 0)
            // Start-up would have saved it; this app never started its services.
            #expect(await app.forms.edition("contact-choice", version: old, logger: quietLogger) == nil)
            #expect(app.formVersions.count == 1, "the reload saved the version it serves")

            try Self.write(Self.before, to: "contact.yaml", in: folder)
            await app.forms.reload(logger: quietLogger)
            #expect(app.forms.current.catalog["contact-choice"]?.version == old, "a content hash: the same file, the same version")
            #expect(await app.forms.edition("contact-choice", version: new, logger: quietLogger) != nil)
            // Past the memory's retention, the database has it still.
            app.clock.advance(by: 5 * 3600)
            #expect(app.forms.keptEdition("contact-choice", version: new) == nil)
            let readBack = await app.forms.edition("contact-choice", version: new, logger: quietLogger)
            #expect(readBack?.form.field(named: "emailAddress") != nil)
            #expect(readBack?.form.version == new)
            #expect(app.forms.keptEdition("contact-choice", version: new) != nil, "kept in memory again once read")

            let metrics = try PrometheusText(try await app.get("/metrics").text)
            #expect(metrics.value("forms_reloads_total", ["result": "applied"]) == 2)
            #expect(metrics.value("form_version_info", ["form": "contact-choice", "version": old]) == 1)
            #expect(metrics.value("form_version_info", ["form": "contact-choice", "version": new]) == 0)

            #expect(await app.forms.reload(logger: quietLogger) == .unchanged)
        }
    }
}
