import AlvariaModels
import Forms
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// `steps:` through the app's router: one step validated at a time, back and change, the review,
/// drafts that resume in another browser, sensitive answers never drafted, autosave.
@Suite("Multi-step forms and drafts")
struct MultiStepFormTests {
    static let context = #"{"form":"claim-report","firstName":"Ada","phone":"+44 7700 900123","email":"ada@example.test"}"#
    static let incident = [("claimType", "theft"), ("incidentDate", "2026-11-20"), ("description", "Bike taken\r\nfrom the shed")]
    static let details = [("location", "12 Quay Street"), ("policeReport", "yes"), ("policeReference", "PR-5521"), ("policyNumber", "QX4418207")]
    static let contact = [("contactBy", "email"), ("email", "ada.new@example.test")]

    static func uri(_ sessionId: SessionID) -> String { "/f/claim-report?sessionId=\(sessionId.rawValue)" }

    static func step(_ sessionId: SessionID, _ step: String, language: String = "en") -> String {
        "\(uri(sessionId))&lang=\(language)&step=\(step)"
    }

    /// A visitor who has completed the first two steps.
    static func throughDetails(_ app: RouterTestApp) async throws -> (SessionID, StepVisitor) {
        let sessionId = try await app.simulator.createDialog(context)
        let visitor = StepVisitor(app, formURI: uri(sessionId))
        _ = try await visitor.get()
        try await visitor.next(incident)
        try await visitor.next(details)
        return (sessionId, visitor)
    }

    @Test("each step validates only its own fields, says where the person is, and the review sends the outcome in form order")
    func walkThrough() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(Self.context)
            let visitor = StepVisitor(app, formURI: Self.uri(sessionId))
            let first = try await visitor.get()
            #expect(first.status == .ok)
            #expect(first.text.contains("<title>Step 1 of 3: What happened – Report a claim</title>"))
            #expect(first.text.contains(#"<p class="progress">Step 1 of 3</p>"#))
            #expect(first.text.contains("Hi Ada"), "the form's intro on the first step")
            #expect(first.text.contains("Start with the basics"), "the step's intro")
            #expect(first.text.contains(#"name="claimType""#))
            #expect(!first.text.contains(#"name="location""#), "another step's field")
            #expect(!first.text.contains(#"value="back""#), "no Back on the first step")
            #expect(first.text.contains(#"data-autosave"#))

            let invalid = try await visitor.post("next", [("claimType", "theft")])
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.text.contains(##"href="#field-incidentDate""##))
            #expect(invalid.text.contains(##"href="#field-description""##))
            #expect(!invalid.text.contains("field-location"), "only this step is validated")
            #expect(invalid.text.contains(#"<option value="theft" selected>"#), "what was typed stays")

            let toDetails = try await visitor.next(Self.incident)
            #expect(toDetails == Self.step(sessionId, "details"))
            let toContact = try await visitor.next(Self.details)
            #expect(toContact == Self.step(sessionId, "contact"))
            let contact = try await visitor.get()
            #expect(contact.text.contains("Step 3 of 3"))
            #expect(contact.text.contains(#"value="back""#))
            #expect(contact.text.contains("ada@example.test"), "prefilled from the context")
            let toReview = try await visitor.next(Self.contact)
            #expect(toReview == Self.step(sessionId, "review"))

            let review = try await visitor.get()
            #expect(review.status == .ok)
            #expect(review.text.contains("<title>Check your answers – Report a claim</title>"))
            #expect(review.text.contains("Theft"), "an option shows its label")
            #expect(review.text.contains("Bike taken\nfrom the shed"))
            #expect(review.text.contains("Yes, I reported it"))
            #expect(review.text.contains("Hidden for your security"))
            #expect(!review.text.contains("QX4418207"), "a sensitive answer is masked")
            #expect(!review.text.contains("+44 7700 900123"), "a field its showIf hides is not listed")
            #expect(review.text.contains(#"href="/f/claim-report?sessionId=\#(sessionId.rawValue)&amp;lang=en&amp;step=details""#))
            #expect(!review.text.contains(#"name="policyNumber""#), "held in this browser: not asked again")

            let sent = try await visitor.post("submit", [])
            #expect(sent.status == .seeOther)
            #expect(sent.headers[.location]?.contains("/done?") == true)
            #expect(visitor.cookies.isEmpty, "the held answers' cookie is deleted")
            let outcome = try #require(try await app.simulator.waitForOutcomes(sessionId).first)
            #expect(
                outcome.map(\.id) == [
                    "claimType", "incidentDate", "description", "location", "policeReport", "policeReference", "policyNumber",
                    "contactBy", "email", "formStatus", "submittedAt",
                ]
            )
            let values = Dictionary(uniqueKeysWithValues: outcome.map { ($0.id, $0.value) })
            #expect(values["description"] == "Bike taken\nfrom the shed")
            #expect(values["policyNumber"] == "QX4418207")
            #expect(values["email"] == "ada.new@example.test")
            #expect(try await app.drafts.draft(sessionId: sessionId.rawValue) == nil, "the draft ends with the outcome")
            let again = try await visitor.get()
            #expect(again.text.contains("Already completed"))
        }
    }

    @Test("Back keeps what was typed without checking it; a step not reached yet sends the person where they left off")
    func backAndJumpAhead() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(Self.context)
            let visitor = StepVisitor(app, formURI: Self.uri(sessionId))
            let ahead = try await visitor.get(Self.step(sessionId, "contact"))
            #expect(ahead.status == .seeOther)
            #expect(ahead.headers[.location] == Self.step(sessionId, "incident"))
            let review = try await visitor.get(Self.step(sessionId, "review"))
            #expect(review.headers[.location] == Self.step(sessionId, "incident"))

            _ = try await visitor.get()
            try await visitor.next(Self.incident)
            let back = try await visitor.post("back", [("location", "Half typed"), ("policeReport", "maybe")])
            #expect(back.status == .seeOther)
            #expect(back.headers[.location] == Self.step(sessionId, "incident"))
            let first = try await visitor.get(back.headers[.location])
            #expect(first.text.contains("Bike taken"), "the completed step's answers are back")
            let details = try await visitor.get(Self.step(sessionId, "details"))
            #expect(details.status == .ok)
            #expect(details.text.contains(#"value="Half typed""#), "what was typed before Back is kept")
        }
    }

    @Test("Change from the review goes to the step, and its Continue comes back to the review")
    func changeFromReview() async throws {
        try await RouterTestApp.run { app in
            let (sessionId, visitor) = try await Self.throughDetails(app)
            try await visitor.next(Self.contact)
            _ = try await visitor.get(Self.step(sessionId, "incident"))
            let back = try await visitor.next([("claimType", "loss"), ("incidentDate", "2026-11-21"), ("description", "Lost it")])
            #expect(back == Self.step(sessionId, "review"))
            let review = try await visitor.get()
            #expect(review.text.contains("Lost it"))
            let fromReview = try await visitor.post("back", [])
            #expect(fromReview.headers[.location] == Self.step(sessionId, "contact"))
        }
    }

    @Test("another browser continues at the first step not done, is told why, and is asked the sensitive answer again")
    func resumeInAnotherBrowser() async throws {
        try await RouterTestApp.run { app in
            let (sessionId, _) = try await Self.throughDetails(app)
            let other = StepVisitor(app, formURI: Self.uri(sessionId))
            let resumed = try await other.get()
            #expect(resumed.status == .ok)
            #expect(resumed.text.contains("Step 3 of 3"))
            #expect(resumed.text.contains("Welcome back"))
            let first = try await other.get(Self.step(sessionId, "incident"))
            #expect(first.text.contains("Bike taken"))
            #expect(!first.text.contains("Welcome back"), "said once, on opening the link")
            _ = try await other.get(Self.step(sessionId, "contact"))
            try await other.next(Self.contact)
            let review = try await other.get()
            #expect(review.text.contains(#"name="policyNumber""#), "not kept anywhere: asked again")
            #expect(review.text.contains("we do not keep this answer between visits"))
            #expect(!review.text.contains("Hidden for your security"))

            let missing = try await other.post("submit", [("policyNumber", "")])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.text.contains(##"href="#field-policyNumber""##))
            #expect(try await app.store.entries(state: nil, limit: 1).isEmpty)
            let sent = try await other.post("submit", [("policyNumber", "ZZ12345678")])
            #expect(sent.status == .seeOther)
            let outcome = try #require(try await app.simulator.waitForOutcomes(sessionId).first)
            #expect(outcome.first { $0.id == "policyNumber" }?.value == "ZZ12345678")
            #expect(outcome.first { $0.id == "location" }?.value == "12 Quay Street")
        }
    }

    @Test("a sensitive answer is never in the draft, nor is any answer in clear")
    func draftHoldsNoSensitiveAnswer() async throws {
        try await RouterTestApp.run { app in
            let (sessionId, visitor) = try await Self.throughDetails(app)
            let stored = try #require(try await app.drafts.draft(sessionId: sessionId.rawValue))
            let sealed = String(decoding: stored.sealed, as: UTF8.self)
            for value in ["QX4418207", "12 Quay Street", "Bike taken", "theft"] {
                #expect(!sealed.contains(value))
            }
            let draft = try #require(RouterTestApp.draftSealer.openDraft(stored.sealed, sessionId: sessionId.rawValue))
            #expect(draft.values["policyNumber"] == nil)
            #expect(draft.values["location"] == ["12 Quay Street"])
            #expect(draft.completedSteps == ["incident", "details"])
            let held = try #require(visitor.cookies[HeldAnswers.cookieName(sessionId: sessionId.rawValue)])
            #expect(!held.contains("QX4418207"), "the held answer travels sealed")
        }
    }

    @Test("autosave keeps the step as typed, never a sensitive answer, and can do nothing else")
    func autosave() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(Self.context)
            let visitor = StepVisitor(app, formURI: Self.uri(sessionId))
            _ = try await visitor.get()
            try await visitor.next(Self.incident)
            let saved = try await visitor.post("save", [("location", "Somewhere"), ("policyNumber", "QX4418207")], query: "&autosave=1")
            #expect(saved.status == .noContent)
            let stored = try #require(try await app.drafts.draft(sessionId: sessionId.rawValue))
            let draft = try #require(RouterTestApp.draftSealer.openDraft(stored.sealed, sessionId: sessionId.rawValue))
            #expect(draft.values["location"] == ["Somewhere"])
            #expect(draft.values["policyNumber"] == nil)
            #expect(draft.completedSteps == ["incident"], "a save completes nothing")

            let disguised = try await visitor.post("next", Self.details, query: "&autosave=1")
            #expect(disguised.status == .badRequest, "an autosave post may only save")
            let single = try await app.simulator.createDialog(#"{"form":"consent-capture"}"#)
            let page = try await app.get("/f/consent-capture?sessionId=\(single.rawValue)")
            let token = try #require(TestApp.token(in: page.text))
            let onSinglePage = try await app.post(
                "/f/consent-capture?sessionId=\(single.rawValue)",
                [("_token", token), ("_action", "save"), ("consent", "true")]
            )
            #expect(onSinglePage.status == .badRequest, "a save is never taken for a submit")
            #expect(try await app.store.entries(state: nil, limit: 10).isEmpty)
        }
    }

    @Test("a draft no key opens is dropped, and the person starts again with a notice, never a 500")
    func undecryptableDraft() async throws {
        try await RouterTestApp.run { app in
            let (sessionId, _) = try await Self.throughDetails(app)
            var stored = try #require(try await app.drafts.draft(sessionId: sessionId.rawValue))
            stored.sealed[stored.sealed.count / 2] ^= 0x01
            _ = try await app.drafts.saveDraft(sessionId: sessionId.rawValue, formId: "claim-report", sealed: stored.sealed, at: Date())
            let fresh = StepVisitor(app, formURI: Self.uri(sessionId))
            let page = try await fresh.get()
            #expect(page.status == .ok)
            #expect(page.text.contains("Step 1 of 3"))
            #expect(page.text.contains("We could not restore the answers you gave earlier"))
            #expect(!page.text.contains("Bike taken"))
            #expect(try await app.drafts.draft(sessionId: sessionId.rawValue) == nil, "dropped")
        }
    }

    @Test("drafts made under a previous secret still open; under a retired one the person starts again")
    func secretRotation() async throws {
        let old = "old-secret-9876543210-9876543210-fedcba"
        let oldSealer = Sealer(secrets: SecretKeys(current: Array(old.utf8)), purpose: "drafts")
        let draft = Draft(formId: "claim-report", values: ["description": ["Written before the rotation"]], completedSteps: ["incident"])
        for (previous, restored) in [(old, true), ("", false)] {
            try await RouterTestApp.run(overrides: previous.isEmpty ? [:] : ["SECURITY_PREVIOUS_SECRETS": previous]) { app in
                let sessionId = try await app.simulator.createDialog(Self.context)
                _ = try await app.drafts.saveDraft(
                    sessionId: sessionId.rawValue,
                    formId: "claim-report",
                    sealed: oldSealer.seal(draft, sessionId: sessionId.rawValue),
                    at: Date()
                )
                let visitor = StepVisitor(app, formURI: Self.uri(sessionId))
                let page = try await visitor.get()
                #expect(page.status == .ok)
                #expect(page.text.contains(restored ? "Step 2 of 3" : "Step 1 of 3"))
                #expect(page.text.contains(restored ? "Welcome back" : "We could not restore"))
                if restored {
                    // Saved again under the current secret.
                    try await visitor.next(Self.details)
                    let stored = try #require(try await app.drafts.draft(sessionId: sessionId.rawValue))
                    #expect(RouterTestApp.draftSealer.openDraft(stored.sealed, sessionId: sessionId.rawValue) != nil)
                    #expect(oldSealer.openDraft(stored.sealed, sessionId: sessionId.rawValue) == nil)
                }
            }
        }
    }

    @Test("two posts of the same step at once both go on, and one draft remains")
    func concurrentPosts() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(Self.context)
            let visitors = [StepVisitor(app, formURI: Self.uri(sessionId)), StepVisitor(app, formURI: Self.uri(sessionId))]
            for visitor in visitors { _ = try await visitor.get() }
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for (index, visitor) in visitors.enumerated() {
                    group.addTask {
                        try await visitor.post(
                            "next",
                            [("claimType", index == 0 ? "theft" : "loss"), ("incidentDate", "2026-11-20"), ("description", "x")]
                        )
                        .status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == [.seeOther, .seeOther])
            let stored = try #require(try await app.drafts.draft(sessionId: sessionId.rawValue))
            let draft = try #require(RouterTestApp.draftSealer.openDraft(stored.sealed, sessionId: sessionId.rawValue))
            #expect(draft.completedSteps == ["incident"])
            #expect(draft.values["claimType"] == ["theft"] || draft.values["claimType"] == ["loss"])
        }
    }

    @Test("an autosave that read the draft before a Continue saved never undoes the step it completed")
    func autosaveRacingContinue() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(Self.context)
            let visitor = StepVisitor(app, formURI: Self.uri(sessionId))
            _ = try await visitor.get()
            // The autosave is held inside its read of the draft until the Continue has gone as far
            // as it can: done (the race), or queued behind the autosave.
            let (entered, enter) = AsyncStream<Void>.makeStream()
            let (released, release) = AsyncStream<Void>.makeStream()
            app.drafts.onRead.withLock { hook in
                hook = {
                    app.drafts.onRead.withLock { $0 = nil }
                    enter.yield()
                    for await _ in released { break }
                }
            }
            let autosave = Task { try await visitor.post("save", [("claimType", "theft")], query: "&autosave=1").status }
            for await _ in entered { break }
            let next = Task { try await visitor.post("next", Self.incident).status }
            try await waitUntil {
                await app.draftQueue.waitingCount(sessionId.rawValue) == 1 || app.drafts.outbox.drafts.withLock { $0[sessionId.rawValue] } != nil
            }
            release.yield()
            #expect(try await autosave.value == .noContent)
            #expect(try await next.value == .seeOther)
            let stored = try #require(try await app.drafts.draft(sessionId: sessionId.rawValue))
            let draft = try #require(RouterTestApp.draftSealer.openDraft(stored.sealed, sessionId: sessionId.rawValue))
            #expect(draft.completedSteps == ["incident"], "the step Continue completed")
            #expect(draft.values["description"] == ["Bike taken\nfrom the shed"], "what Continue saved")
        }
    }

    @Test("declining from the review stores the decline and ends the draft; a dialog Alvaria ended drops it")
    func declineAndEndedDialog() async throws {
        try await RouterTestApp.run { app in
            let (sessionId, visitor) = try await Self.throughDetails(app)
            try await visitor.next(Self.contact)
            let declined = try await visitor.post("decline", [])
            #expect(declined.status == .seeOther)
            #expect(declined.headers[.location]?.contains("declined=1") == true)
            let outcome = try #require(try await app.simulator.waitForOutcomes(sessionId).first)
            #expect(outcome.first { $0.id == "formStatus" }?.value == "declined")
            #expect(try await app.drafts.draft(sessionId: sessionId.rawValue) == nil)

            let (ended, _) = try await Self.throughDetails(app)
            #expect(try await app.drafts.draft(sessionId: ended.rawValue) != nil)
            app.contexts.remove(ended)
            let gone = try await app.get(Self.uri(ended))
            #expect(gone.status == .gone)
            #expect(try await app.drafts.draft(sessionId: ended.rawValue) == nil, "nobody will finish it")
        }
    }

    @Test("in Spanish: the steps, the progress line and the review speak it", arguments: ["es"])
    func spanish(language: String) async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(Self.context)
            let visitor = StepVisitor(app, formURI: Self.uri(sessionId) + "&lang=\(language)")
            let first = try await visitor.get()
            #expect(first.text.contains("Paso 1 de 3"))
            #expect(first.text.contains("Qué pasó"))
            let location = try await visitor.next(Self.incident)
            #expect(location.contains("lang=es"))
        }
    }

    /// Two steps behind verification: the second asks for `detail` only when the first said `y`,
    /// quotes the context in its intro, and takes `customerId` from the context.
    static let verifiedSteps = """
        id: verified-steps
        title: Two steps
        verify:
          questions:
            - {name: postcode, label: Your postcode, type: text, answer: context.postalCode}
        steps:
          - id: first
            title: First
            fields:
              - {name: kind, type: radio, required: true, options: [x, y]}
          - id: second
            title: Second
            intro: "Thanks, {{context.firstName}}."
            fields:
              - {name: detail, type: text, required: true, showIf: {field: kind, equals: "y"}}
              - {name: note, type: text}
              - {name: customerId, type: hidden, prefill: context.customerId}
        """

    @Test("behind verify:, a draft is resumed only after verification; a showIf on an earlier step is decided by the server")
    func verifiedStepsAndEarlierShowIf() async throws {
        let directory = try temporaryDirectory()
        try Self.verifiedSteps.write(to: directory.appendingPathComponent("verified-steps.yaml"), atomically: true, encoding: .utf8)
        try await RouterTestApp.run(overrides: ["FORMS_DIRECTORY": directory.path]) { app in
            let context = #"{"form":"verified-steps","postalCode":"BS1 5TY","firstName":"Zebedee","customerId":"C-77"}"#
            let sessionId = try await app.simulator.createDialog(context)
            let uri = "/f/verified-steps?sessionId=\(sessionId.rawValue)"
            let passed = StepVisitor(app, formURI: uri)
            let question = try await passed.get()
            #expect(question.text.contains(#"name="postcode""#))
            let verified = try await passed.post(nil, [("postcode", "bs1 5ty")], to: "/f/verified-steps/verify?sessionId=\(sessionId.rawValue)")
            #expect(verified.status == .seeOther)
            let first = try await passed.get()
            #expect(first.text.contains("Step 1 of 2"))

            // kind x: the second step does not ask for detail.
            try await passed.next([("kind", "x")])
            let second = try await passed.get()
            #expect(second.text.contains("Thanks, Zebedee."))
            #expect(!second.text.contains(#"name="detail""#), "kind x: detail does not apply")
            #expect(!second.text.contains("data-show-if"), "decided by the server, not the script")
            try await passed.next([("note", "n")])
            let review = try await passed.get()
            #expect(review.text.contains("Check your answers"))
            #expect(!review.text.contains("Detail"), "not asked, not listed")
            _ = try await passed.get("\(uri)&step=first")
            try await passed.next([("kind", "y")])
            let asked = try await passed.get()
            #expect(asked.text.contains(#"name="detail""#), "kind y: detail applies now")
            #expect(asked.text.contains(#"name="detail" required"#) || asked.text.contains(#"name="detail" value="" required"#))
            let missing = try await passed.post("next", [("note", "n")])
            #expect(missing.status == .unprocessableContent)
            try await passed.next([("detail", "d"), ("note", "n")])

            // Another browser sees the verification step, never the draft.
            let other = try await StepVisitor(app, formURI: uri).get()
            #expect(other.text.contains(#"name="postcode""#))
            #expect(!other.text.contains("Welcome back"))

            _ = try await passed.get()
            let sent = try await passed.post("submit", [])
            #expect(sent.status == .seeOther)
            let outcome = try #require(try await app.simulator.waitForOutcomes(sessionId).first)
            #expect(outcome.map(\.id) == ["kind", "detail", "note", "customerId"])
            #expect(outcome.last?.value == "C-77", "the hidden field from the context at submit")
        }
    }

    @Test("a review sent after Alvaria ended the dialog answers 410 and drops the draft")
    func reviewAfterTheDialogEnded() async throws {
        let directory = try temporaryDirectory()
        try Self.verifiedSteps.write(to: directory.appendingPathComponent("verified-steps.yaml"), atomically: true, encoding: .utf8)
        try await RouterTestApp.run(overrides: ["FORMS_DIRECTORY": directory.path]) { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"verified-steps","postalCode":"BS1 5TY","customerId":"C-77"}"#)
            let uri = "/f/verified-steps?sessionId=\(sessionId.rawValue)"
            let visitor = StepVisitor(app, formURI: uri)
            _ = try await visitor.get()
            _ = try await visitor.post(nil, [("postcode", "BS1 5TY")], to: "/f/verified-steps/verify?sessionId=\(sessionId.rawValue)")
            _ = try await visitor.get()
            try await visitor.next([("kind", "x")])
            try await visitor.next([("note", "n")])
            #expect(try await app.drafts.draft(sessionId: sessionId.rawValue) != nil)
            app.contexts.remove(sessionId)
            let sent = try await visitor.post("submit", [])
            #expect(sent.status == .gone)
            #expect(try await app.drafts.draft(sessionId: sessionId.rawValue) == nil)
            #expect(try await app.store.entries(state: nil, limit: 1).isEmpty)
        }
    }

    @Test("the console's sample context for claim-report carries what its intro and prefills quote")
    func consoleSample() throws {
        let forms = try FormCatalog.load(directory: packageRoot.appendingPathComponent("config/forms").path)
        let sample = FormContext(content: ConsoleController.sampleContext(for: try #require(forms["claim-report"])))
        #expect(sample.value(at: "context.firstName") == "Ana")
        #expect(sample.value(at: "context.email") == "ana@example.com")
    }
}
