import Forms
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// `disposable-app forms preview`'s server, through Hummingbird's router test client: every state
/// of every form is the app's own page, posts come back to the preview and keep nothing, and the
/// folder is read again when a file changes.
@Suite("The form preview")
struct FormPreviewTests {
    /// The prefilled values a page shows as text (in an input's value or a textarea), by field:
    /// not choices, whose option values are in the page whatever is chosen, nor sensitive ones.
    private static func textValues(_ form: FormDefinition, fields: some Sequence<FieldDefinition>, context: FormContext) -> [String] {
        let values = form.prefilledValues(from: context)
        let textTypes: Set<FieldType> = [.text, .textarea, .email, .tel, .url, .number, .date, .time, .hidden]
        return fields.filter { textTypes.contains($0.type) && !$0.sensitive && $0.prefill != nil }.compactMap { values.first($0.name) }
            .filter { !$0.isEmpty }
    }

    @Test("every state of a shipped form, in every language, is the app's page with the example's values", arguments: ShippedForms.files)
    func everyStateOfAShippedForm(file: String) async throws {
        let id = String(file.dropLast(".yaml".count))
        let form = try #require(try ShippedForms.catalog()[id])
        let example = try #require(form.example, "every shipped form has an example: context")
        let messages = try MessageCatalog.bundled()
        try await PreviewTestApp.run { app in
            for language in messages.languages.sorted() {
                let shown = messages.negotiate(query: language, context: nil, acceptLanguage: nil, form: form)
                let localized = form.localized(to: shown)
                for state in PreviewState.all(for: form) {
                    let place = "\(id) \(language) \(state.pathComponent)"
                    let response = try await app.get(PreviewURLs.page(id, language: language, state: state))
                    let html = response.text
                    #expect(response.status == .ok, "\(place)")
                    #expect(html.contains("<html lang=\"\(shown)\""), "\(place)")
                    #expect(html.contains(HTMLEscaping.escape(localized.title)), "\(place)")
                    #expect(html.contains("<script src=\"/static/js/preview.js\" data-version=\""), "\(place): the reload script")
                    #expect(html.contains("<link rel=\"stylesheet\" href=\"/static/css/app.css\">"), "\(place)")
                    let everyText = Self.textValues(localized, fields: localized.fields, context: example)
                    switch state {
                    case .verification, .wrongAnswer:
                        #expect(html.contains("action=\"/f/\(id)/verify?sessionId=preview\""), "\(place)")
                        for value in everyText { #expect(!html.contains(HTMLEscaping.escape(value)), "\(place): nothing from the context") }
                        if state == .wrongAnswer {
                            let attempts = (localized.verification?.maxAttempts ?? 1) - 1
                            #expect(html.contains(HTMLEscaping.escape(messages.text("verify.noMatch", shown, ["n": "\(attempts)"]))), "\(place)")
                        }
                    case .empty:
                        #expect(html.contains("<form class=\"form\" method=\"post\" action=\"/f/\(id)?sessionId=preview\""), "\(place)")
                        for value in everyText { #expect(!html.contains(HTMLEscaping.escape(value)), "\(place): no context, no prefill") }
                    case .prefilled:
                        for value in everyText { #expect(html.contains(HTMLEscaping.escape(value)), "\(place): \(value) prefilled") }
                        if let intro = localized.renderIntro(context: example) { #expect(html.contains(intro), "\(place): the intro") }
                    case .step(let stepId):
                        let (index, step) = try #require(localized.step(id: stepId))
                        #expect(html.contains(HTMLEscaping.escape(step.title)), "\(place)")
                        for value in Self.textValues(localized, fields: localized.fields(of: step), context: example) {
                            #expect(html.contains(HTMLEscaping.escape(value)), "\(place): \(value) prefilled")
                        }
                        if index == 0, let intro = localized.renderIntro(context: example) { #expect(html.contains(intro), "\(place)") }
                    case .errors, .stepErrors:
                        var fields = Array(localized.fields)
                        if case .stepErrors(let stepId) = state, let (_, step) = localized.step(id: stepId) {
                            fields = Array(localized.fields(of: step))
                        }
                        #expect(html.contains("id=\"error-summary\""), "\(place)")
                        #expect(!fields.previewErrors.isEmpty, "\(place)")
                        for error in fields.previewErrors {
                            #expect(html.contains("id=\"field-\(error.field)-error\""), "\(place): \(error.field) in error")
                            let message = CompiledForm.message(for: error.problem, shown, messages)
                            #expect(html.contains(HTMLEscaping.escape(message)), "\(place): \(message)")
                        }
                    case .review:
                        #expect(html.contains("<input type=\"hidden\" name=\"_step\" value=\"review\">"), "\(place)")
                    }
                }
            }
        }
    }

    @Test("every field in error shows required for a required field and a problem of its kind for the others")
    func representativeProblems() {
        let fields = [
            FieldDefinition(name: "a", type: .text, required: true),
            FieldDefinition(name: "b", type: .text, pattern: "[0-9]+"),
            FieldDefinition(name: "c", type: .email),
            FieldDefinition(name: "d", type: .number, min: "0"),
            FieldDefinition(name: "e", type: .date),
            FieldDefinition(name: "f", type: .radio, options: [FieldOption(value: "x")]),
            FieldDefinition(name: "g", type: .hidden),
            FieldDefinition(name: "h", type: .textarea, maxLength: 300),
        ]
        #expect(
            fields.previewErrors == [
                FieldError(field: "a", problem: .required), FieldError(field: "b", problem: .patternMismatch),
                FieldError(field: "c", problem: .invalidEmail), FieldError(field: "d", problem: .belowMinimum("0")),
                FieldError(field: "e", problem: .invalidDate), FieldError(field: "f", problem: .notAnOption),
                FieldError(field: "h", problem: .tooLong(maximum: 300)),
            ]
        )
    }

    @Test("the index links every form in every language and state; a broken file shows its problems, the others still preview")
    func indexAndBrokenFile() async throws {
        let broken = "id: broken\ntitle: Broken\nfields:\n  - name: street\n    type: txt\n"
        let messages = try MessageCatalog.bundled()
        let catalog = try ShippedForms.catalog()
        try await PreviewTestApp.run(extra: ["broken.yaml": broken]) { app in
            let check = FormCatalog.check(directory: app.directory.path)
            let problems = try #require(check.files.first { $0.path.hasSuffix("broken.yaml") }?.problems)
            #expect(!problems.isEmpty)
            let index = try await app.get("/")
            #expect(index.status == .ok)
            for problem in problems {
                #expect(index.text.contains(HTMLEscaping.escape(problem.description)), "the same line as forms check")
            }
            #expect(!index.text.contains("/preview/broken/"))
            for form in catalog.forms {
                #expect(index.text.contains(HTMLEscaping.escape(form.title)))
                for language in messages.languages {
                    for state in PreviewState.all(for: form) {
                        #expect(index.text.contains("href=\"\(PreviewURLs.page(form.id, language: language, state: state))\""))
                    }
                }
            }
            #expect(try await app.get(PreviewURLs.page("broken", language: "en", state: .prefilled)).status == .notFound)
            #expect(try await app.get(PreviewURLs.page("address-update", language: "en", state: .prefilled)).status == .ok)
        }
    }

    @Test("an example's values reach the page escaped, in attributes, text and the intro")
    func hostileExampleIsEscaped() async throws {
        let hostile = #"""
            id: hostile
            title: Hostile <b>title</b>
            intro: "Hi {{context.firstName}}"
            fields:
              - name: street
                prefill: context.street
              - name: note
                type: textarea
                prefill: context.note
            example:
              firstName: "<script>alert(1)</script>"
              street: "\"><script>alert(2)</script>"
              note: "</textarea><script>alert(3)</script>"
            """#
        try await PreviewTestApp.run(extra: ["hostile.yaml": hostile], shipped: false) { app in
            let page = try await app.get(PreviewURLs.page("hostile", language: "en", state: .prefilled))
            #expect(page.status == .ok)
            #expect(!page.text.contains("<script>alert"))
            #expect(page.text.contains("Hi &lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(page.text.contains("value=\"&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;\""))
            #expect(page.text.contains("&lt;/textarea&gt;&lt;script&gt;alert(3)&lt;/script&gt;</textarea>"))
            let index = try await app.get("/")
            #expect(index.text.contains("Hostile &lt;b&gt;title&lt;/b&gt;"))
            #expect(!index.text.contains("<b>title"))
        }
    }

    @Test("the version changes when a form file changes, and the next page shows the new text")
    func versionFollowsTheFiles() async throws {
        try await PreviewTestApp.run { app in
            let first = try await app.get(PreviewURLs.version)
            #expect(first.status == .ok)
            #expect(first.headers[.cacheControl] == "no-store")
            #expect(try await app.get(PreviewURLs.version).text == first.text, "unchanged files, unchanged version")
            let page = PreviewURLs.page("address-update", language: "en", state: .prefilled)
            #expect(try await app.get(page).text.contains("data-version=\"\(first.text)\""))

            let file = app.directory.appendingPathComponent("address-update.yaml")
            let text = try String(contentsOf: file, encoding: .utf8)
            try app.write("address-update.yaml", text.replacingOccurrences(of: "title: Update your address", with: "title: Change your address"))
            let second = try await app.get(PreviewURLs.version)
            #expect(second.text != first.text)
            let changed = try await app.get(page)
            #expect(changed.text.contains("<h1>Change your address</h1>"))
            #expect(changed.text.contains("data-version=\"\(second.text)\""))

            try app.write("address-update.yaml", "id: address-update\ntitle: [\n")
            #expect(try await app.get(PreviewURLs.version).text != second.text)
            #expect(try await app.get(page).status == .notFound, "a broken edit is no longer previewed")
            #expect(try await app.get("/").text.contains("YAML does not parse"))
        }
    }

    @Test("a valid post shows the Outcome it would send, as often as it is sent: nothing is stored or consumed")
    func postShowsTheOutcome() async throws {
        let fields = [
            ("_token", "preview"), ("_lang", "en"), ("street", "1 Main St"), ("postalCode", "BS1 5TY"), ("city", "Bristol"),
            ("country", "GB"), ("_action", "submit"),
        ]
        try await PreviewTestApp.run { app in
            let version = try await app.get(PreviewURLs.version).text
            for _ in 0..<2 {
                // The app answers a second submit of a session 409: here nothing was consumed.
                let outcome = try await app.post("/f/address-update?sessionId=preview", fields)
                #expect(outcome.status == .ok)
                #expect(outcome.text.contains("The Outcome this submit would send"))
                for (variable, value) in [("newStreet", "1 Main St"), ("newCity", "Bristol"), ("newCountry", "GB"), ("formStatus", "completed")] {
                    #expect(outcome.text.contains("<tr><td>\(variable)</td><td>\(value)</td></tr>"))
                }
                #expect(outcome.text.contains("<tr><td>customerId</td><td>C-1042</td></tr>"), "the hidden field from the example")
                #expect(outcome.text.contains("data-page=\"/preview/address-update/en/prefilled\""), "a reload does not post again")
            }
            #expect(try await app.get(PreviewURLs.version).text == version, "the folder is left as it was")
            #expect(try FileManager.default.contentsOfDirectory(atPath: app.directory.path).allSatisfy { $0.hasSuffix(".yaml") })

            let declined = try await app.post("/f/consent-capture?sessionId=preview", [("_lang", "en"), ("_action", "decline")])
            #expect(declined.status == .ok)
            #expect(declined.text.contains("<tr><td>consentStatus</td><td>declined</td></tr>"))
        }
    }

    @Test("an invalid post comes back 422 with the server's errors and the values as typed, escaped")
    func invalidPostShowsErrors() async throws {
        try await PreviewTestApp.run { app in
            let page = try await app.post(
                "/f/address-update?sessionId=preview",
                [("_lang", "es"), ("street", ""), ("postalCode", "<b>x</b>"), ("city", "Bristol"), ("country", "GB")]
            )
            #expect(page.status == .unprocessableContent)
            #expect(page.text.contains("<html lang=\"es\""))
            #expect(page.text.contains("id=\"field-street-error\""))
            #expect(page.text.contains("id=\"field-postalCode-error\""))
            #expect(page.text.contains("&lt;b&gt;x&lt;/b&gt;"))
            #expect(!page.text.contains("<b>x</b>"))
        }
    }

    @Test("a posted file is inspected as the app inspects it and then dropped: a refused one is its field's error")
    func uploads() async throws {
        let photo = try UploadTests.fixture("photo-progressive.jpg")
        let fields = [("_lang", "en"), ("description", "A dent"), ("damageDate", "2026-01-02"), ("_action", "submit")]
        try await PreviewTestApp.run { app in
            let post = { (files: [(field: String, bytes: [UInt8], name: String)]) in
                try await app.client.execute(
                    uri: "/f/damage-photo?sessionId=preview",
                    method: .post,
                    headers: [.contentType: "multipart/form-data; boundary=\(UploadTests.boundary)"],
                    body: UploadTests.multipart(fields, files: files)
                )
            }
            let taken = try await post([(field: "photo", bytes: photo, name: "dent.jpg")])
            #expect(taken.status == .ok)
            #expect(taken.text.contains("<tr><td>photo</td><td>(1 signed file link: a preview keeps no file)</td></tr>"))
            let refused = try await post([(field: "photo", bytes: Array("<html>not a photo</html>".utf8), name: "dent.png")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("id=\"field-photo-error\""))
            #expect(refused.text.contains(HTMLEscaping.escape(FieldProblem.fileType.englishMessage)))
            let missing = try await post([])
            #expect(missing.status == .unprocessableContent, "the photo is required")
        }
    }

    @Test("the verification step accepts the example's answers and refuses others, counting nothing")
    func verification() async throws {
        try await PreviewTestApp.run { app in
            let path = "/f/contact-details/verify?sessionId=preview"
            let right = try await app.post(path, [("_lang", "en"), ("postcode", " bs1  5ty "), ("birthDate", "1984-06-02")])
            #expect(right.status == .seeOther)
            #expect(right.headers[.location] == PreviewURLs.page("contact-details", language: "en", state: .prefilled))
            for _ in 0..<4 {
                let wrong = try await app.post(path, [("_lang", "en"), ("postcode", "XX1 1XX"), ("birthDate", "1984-06-02")])
                #expect(wrong.status == .unprocessableContent)
                #expect(wrong.text.contains("Attempts left: 2."), "the same count every time: no attempt is kept")
            }
            let empty = try await app.post(path, [("_lang", "en"), ("postcode", ""), ("birthDate", "")])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.text.contains("id=\"verify-postcode-error\""))
        }
    }

    @Test("a step's next checks that step and goes on; back and save keep nothing; the review sends the example's answers")
    func steps() async throws {
        try await PreviewTestApp.run { app in
            let path = "/f/claim-report?sessionId=preview"
            let empty = try await app.post(path, [("_lang", "en"), ("_step", "incident"), ("_action", "next")])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.text.contains("id=\"field-claimType-error\""))
            let next = try await app.post(
                path,
                [
                    ("_lang", "en"), ("_step", "incident"), ("_action", "next"), ("claimType", "damage"), ("incidentDate", "2026-01-02"),
                    ("description", "A leak"),
                ]
            )
            #expect(next.status == .seeOther)
            #expect(next.headers[.location] == PreviewURLs.page("claim-report", language: "en", state: .step("details")))
            let back = try await app.post(path, [("_lang", "es"), ("_step", "details"), ("_action", "back")])
            #expect(back.headers[.location] == PreviewURLs.page("claim-report", language: "es", state: .step("incident")))
            #expect(try await app.post(path, [("_step", "details"), ("_action", "save"), ("location", "Home")]).status == .noContent)
            // The example prefills only the contact step: the review's submit finds the first step unanswered.
            let review = try await app.post(path, [("_lang", "en"), ("_step", "review"), ("_action", "submit")])
            #expect(review.status == .unprocessableContent)
            #expect(review.text.contains("id=\"field-claimType-error\""))
            let link = try await app.get("/f/claim-report?sessionId=preview&lang=es&step=details")
            #expect(link.status == .seeOther)
            #expect(link.headers[.location] == PreviewURLs.page("claim-report", language: "es", state: .step("details")))
        }
    }

    @Test("pages carry the app's security headers, and the static files and the reload script are served")
    func headersAndStaticFiles() async throws {
        try await PreviewTestApp.run { app in
            for path in ["/", PreviewURLs.page("consent-capture", language: "ar", state: .errors)] {
                let page = try await app.get(path)
                let policy = try #require(page.headers[.contentSecurityPolicy])
                #expect(policy.contains("script-src 'self'"))
                #expect(policy.contains("connect-src 'self'"))
                #expect(!policy.contains("unsafe-inline"))
                #expect(page.headers[.xContentTypeOptions] == "nosniff")
                #expect(page.headers[.cacheControl] == "no-store")
            }
            let script = try await app.get(PreviewURLs.script)
            #expect(script.status == .ok)
            #expect(script.text.contains("/preview/version"))
            #expect(try await app.get("/static/css/app.css").status == .ok)
            #expect(try await app.get("/static/js/form.js").status == .ok)
            #expect(try await app.get(PreviewURLs.page("nothing", language: "en", state: .empty)).status == .notFound)
            #expect(try await app.get("/preview/address-update/en/sideways").status == .notFound)
            #expect(
                try await app.get(PreviewURLs.page("address-update", language: "en", state: .review)).status == .notFound,
                "a one-page form has no review"
            )
        }
    }
}
