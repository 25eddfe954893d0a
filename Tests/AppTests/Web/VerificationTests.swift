import AlvariaModels
import Forms
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// `verify:` through the app's router: nothing from the context before the right answers, a pass
/// for this browser only, a lock after too many wrong answers, and links that expire.
@Suite("Verification before personal data")
struct VerificationTests {
    /// Every value distinctive, so that finding one in a page can only mean it leaked.
    static let context = #"""
        {"form":"contact-details","firstName":"Zebedee","email":"zeb.quill@example.test","phone":"+44 7700 900461",
         "customerId":"C-99881","postalCode":"BS1 5TY","dateOfBirth":"1984-06-02"}
        """#
    static let contextValues = ["Zebedee", "zeb.quill@example.test", "+44 7700 900461", "C-99881", "BS1 5TY", "1984-06-02"]
    static let right = [("postcode", " bs1  5ty "), ("birthDate", "1984-06-02")]
    static let wrong = [("postcode", "BS2 0AA"), ("birthDate", "1984-06-02")]

    static func uri(_ sessionId: SessionID, language: String? = nil) -> String {
        "/f/contact-details?sessionId=\(sessionId.rawValue)" + (language.map { "&lang=\($0)" } ?? "")
    }

    static func verifyURI(_ sessionId: SessionID) -> String {
        "/f/contact-details/verify?sessionId=\(sessionId.rawValue)"
    }

    /// Answers the verification step as the page's form would post them.
    static func answer(
        _ app: RouterTestApp,
        _ sessionId: SessionID,
        _ answers: [(String, String)],
        cookie: String? = nil
    ) async throws
        -> TestResponse
    {
        let page = try await app.get(uri(sessionId))
        let token = try #require(TestApp.token(in: page.text))
        return try await app.post(verifyURI(sessionId), [("_token", token)] + answers)
    }

    /// The `name=value` of a response's Set-Cookie, for the next request's Cookie header.
    static func cookie(of response: TestResponse) throws -> (header: String, pair: String) {
        let header = try #require(response.headers[.setCookie])
        return (header, String(header.prefix { $0 != ";" }))
    }

    @Test("until verified, no page holds a value from the context, in any language", arguments: ["en", "es", "ar"])
    func nothingBeforeVerification(language: String) async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(Self.context)
            let page = try await app.get(Self.uri(sessionId, language: language))
            #expect(page.status == .ok)
            #expect(page.text.contains(#"name="postcode""#))
            #expect(page.text.contains(#"autocomplete="bday""#))
            #expect(page.text.contains(#"type="date""#))
            let wrong = try await Self.answer(app, sessionId, Self.wrong)
            #expect(wrong.status == .unprocessableContent)
            let empty = try await Self.answer(app, sessionId, [("postcode", " "), ("birthDate", "")])
            #expect(empty.status == .unprocessableContent)
            for response in [page, wrong, empty] {
                for value in Self.contextValues {
                    #expect(!response.text.contains(value), "\(value) is in the page before verification")
                    #expect(!response.text.contains(HTMLEscaping.escape(value)))
                }
                #expect(!response.text.contains("Hi "), "the intro quotes the context")
            }
        }
    }

    @Test("the right answers, however typed, give this browser a pass; the form then shows and submits")
    func rightAnswers() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(Self.context)
            let verified = try await Self.answer(app, sessionId, Self.right)
            #expect(verified.status == .seeOther)
            #expect(verified.headers[.location] == Self.uri(sessionId, language: "en"))
            let (header, pair) = try Self.cookie(of: verified)
            let attributes = header.lowercased()
            #expect(attributes.contains("httponly"))
            #expect(attributes.contains("samesite=strict"))
            #expect(attributes.contains("max-age=1800"))
            #expect(attributes.contains("path=/"))
            #expect(!attributes.contains("secure"), "plain http: a Secure cookie would never come back")
            #expect(!header.contains(sessionId.rawValue))

            let form = try await app.get(Self.uri(sessionId), headers: [.cookie: pair])
            #expect(form.status == .ok)
            #expect(form.text.contains("zeb.quill@example.test"))
            #expect(form.text.contains("Hi Zebedee"))

            // Another browser (no cookie) is asked again.
            let other = try await app.get(Self.uri(sessionId))
            #expect(other.text.contains(#"name="postcode""#))
            #expect(!other.text.contains("zeb.quill@example.test"))

            let token = try #require(TestApp.token(in: form.text))
            let fields = [("_token", token), ("email", "new@example.test"), ("phone", "+44 7700 900000")]
            var headers: HTTPFields = [HTTPField.Name("Sec-Fetch-Site")!: "same-origin"]
            let unverified = try await app.post(Self.uri(sessionId), fields, headers: headers)
            #expect(unverified.status == .seeOther, "a submit without the pass goes back to the questions")
            #expect(try await app.store.entries(state: nil, limit: 1).isEmpty)
            headers[.cookie] = pair
            let submitted = try await app.post(Self.uri(sessionId), fields, headers: headers)
            #expect(submitted.status == .seeOther)
            #expect(submitted.headers[.location]?.contains("/done?") == true)
            let outcome = try #require(try await app.simulator.waitForOutcomes(sessionId).first)
            #expect(outcome.first { $0.id == "newEmail" }?.value == "new@example.test")
            #expect(outcome.first { $0.id == "customerId" }?.value == "C-99881")
        }
    }

    @Test("on https the pass is Secure too")
    func secureOnHTTPS() async throws {
        try await RouterTestApp.run(overrides: ["HTTP_PUBLIC_URL": "https://forms.example.com"]) { app in
            let sessionId = try await app.simulator.createDialog(Self.context)
            let (header, _) = try Self.cookie(of: try await Self.answer(app, sessionId, Self.right))
            #expect(header.lowercased().contains("; secure"))
        }
    }

    @Test("the console's sample context carries the verification answers")
    func consoleSample() throws {
        let forms = try FormCatalog.load(directory: packageRoot.appendingPathComponent("config/forms").path)
        let sample = ConsoleController.sampleContext(for: try #require(forms["contact-details"]))
        let context = FormContext(content: sample)
        let verification = try #require(forms["contact-details"]?.verification)
        for question in verification.questions {
            #expect(verification.expectedAnswer(question, in: context) != nil, "\(question.name) has no sample answer")
        }
    }

    @Test("a pass is for its session, its form and its lifetime, and cannot be forged")
    func passScope() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(Self.context)
            let other = try await app.simulator.createDialog(Self.context)
            let (_, pair) = try Self.cookie(of: try await Self.answer(app, sessionId, Self.right))
            let name = String(pair.prefix { $0 != "=" })
            let value = String(pair.dropFirst(name.count + 1))
            let forged = value.dropLast(2) + (value.hasSuffix("AA") ? "BB" : "AA")
            let attempts = [
                ("another session's pass", other, "\(VerificationPass.cookieName(sessionId: other.rawValue))=\(value)"),
                ("a forged signature", sessionId, "\(name)=\(forged)"),
                ("a later expiry", sessionId, "\(name)=9\(value)"),
            ]
            for (what, session, cookie) in attempts {
                let page = try await app.get(Self.uri(session), headers: [.cookie: cookie])
                #expect(page.text.contains(#"name="postcode""#), "\(what) was accepted")
            }
            #expect(try await app.get(Self.uri(sessionId), headers: [.cookie: pair]).text.contains("Zebedee"))
            app.clock.advance(by: 30 * 60 + 1)
            let expired = try await app.get(Self.uri(sessionId), headers: [.cookie: pair])
            #expect(expired.text.contains(#"name="postcode""#), "a pass past verify.lifetime was accepted")
        }
    }

    @Test("answers that cannot be compared cost no attempt; wrong ones say how many are left")
    func attemptsLeft() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(Self.context)
            let empty = try await Self.answer(app, sessionId, [("postcode", ""), ("birthDate", "02/06/1984")])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.text.contains(#"id="verify-postcode-error""#))
            #expect(empty.text.contains(#"id="verify-birthDate-error""#))
            #expect(empty.text.contains(#"aria-invalid="true""#))
            let first = try await Self.answer(app, sessionId, Self.wrong)
            #expect(first.text.contains("Attempts left: 2"))
            let second = try await Self.answer(app, sessionId, Self.wrong)
            #expect(second.text.contains("Attempts left: 1"))
        }
    }

    @Test("the last wrong answer locks the session: 403 with the help, the locked Outcome posted once, nothing compared after")
    func lockout() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(Self.context)
            for _ in 0..<2 { _ = try await Self.answer(app, sessionId, Self.wrong) }
            let locked = try await Self.answer(app, sessionId, Self.wrong)
            #expect(locked.status == .forbidden)
            #expect(locked.text.contains("We could not confirm it is you"))
            #expect(locked.text.contains("Reply to our message and an agent will help."))

            let calls = app.simulator.contextRequests
            let again = try await app.get(Self.uri(sessionId, language: "es"))
            #expect(again.status == .forbidden)
            #expect(again.text.contains("Responda a nuestro mensaje"))
            #expect(app.simulator.contextRequests == calls, "a locked session is answered without Alvaria")
            // Even the right answers are refused now, without being compared.
            // A token as the step would carry: the locked session shows no step to take one from.
            let token = FormTokenSigner(keys: SecretKeys(current: Array(RouterTestApp.secret.utf8)), lifetime: .seconds(3600))
                .token(sessionId: sessionId.rawValue, formId: "contact-details")
            let refused = try await app.post(Self.verifyURI(sessionId), [("_token", token)] + Self.right)
            #expect(refused.status == .forbidden)
            #expect(refused.headers[.setCookie] == nil)

            let entries = try await app.store.entries(state: nil, limit: 10)
            #expect(entries.count == 1)
            #expect(entries.first?.kind == .locked)
            #expect(entries.first?.variables == [OutcomeVariable(id: "formStatus", value: "verificationFailed")])
        }
    }

    @Test("expiresAfter counts from the first opening: then 410, without a call to Alvaria, for the page and the submit")
    func linkExpiry() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(Self.context)
            let (_, pair) = try Self.cookie(of: try await Self.answer(app, sessionId, Self.right))
            let form = try await app.get(Self.uri(sessionId), headers: [.cookie: pair])
            let token = try #require(TestApp.token(in: form.text))
            app.clock.advance(by: 24 * 3600 + 1)
            let calls = app.simulator.contextRequests
            let page = try await app.get("/s/\(sessionId.rawValue)")
            #expect(page.status == .gone)
            #expect(page.text.contains("This link has expired"))
            let submit = try await app.post(
                Self.uri(sessionId),
                [("_token", token), ("email", "a@example.test")],
                headers: [HTTPField.Name("Sec-Fetch-Site")!: "same-origin", .cookie: pair]
            )
            #expect(submit.status == .gone)
            #expect(app.simulator.contextRequests == calls)
            #expect(try await app.store.entries(state: nil, limit: 1).isEmpty)
        }
    }

    @Test(
        "link previews and HEAD get a neutral page: no context, no opening recorded, no rate-limit charge",
        arguments: PreviewSettings.builtInAgents
    )
    func previews(agent: String) async throws {
        try await RouterTestApp.run(overrides: ["LIMITS_PAGE_LOADS_PER_MINUTE": "1"]) { app in
            let sessionId = try await app.simulator.createDialog(Self.context)
            for _ in 0..<3 {
                let preview = try await app.get(Self.uri(sessionId), headers: [.userAgent: "Mozilla/5.0 (compatible; \(agent)/2.1)"])
                #expect(preview.status == .ok)
                #expect(preview.text.contains(#"<meta property="og:description" content="Secure form">"#))
                for value in Self.contextValues { #expect(!preview.text.contains(value)) }
                let head = try await app.client.execute(uri: "/s/\(sessionId.rawValue)", method: .head) { $0 }
                #expect(head.status == .ok)
                #expect(head.body.readableBytes == 0)
            }
            #expect(app.simulator.contextRequests == 0)
            #expect(try await app.sessions.state(sessionId: sessionId.rawValue) == nil)
            let metrics = try PrometheusText(try await app.get("/metrics").text).samples
            let counted = { (agent: String) in metrics.first { $0.name == "link_previews_total" && $0.labels["agent"] == agent }?.value }
            #expect(counted(agent) == 3)
            #expect(counted("HEAD") == 3)
            // The person's own page load is still allowed by a limit of one per minute.
            let person = try await app.get(Self.uri(sessionId))
            #expect(person.status == .ok)
            #expect(person.text.contains(#"name="postcode""#))
        }
    }
}
