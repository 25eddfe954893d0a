import Forms
import Foundation
import GRDB
import Testing

@testable import App

/// The feed as the application wires it: the deliverer records outcome events and the sender,
/// started with the app, posts them; with `events.url` unset nothing of it exists.
@Suite("The event feed in the application")
struct EventFeedAppTests {
    @Test("with events.url set, a submitted outcome's delivery arrives at the receiver as outcome.delivered")
    func wiredIntoTheApp() async throws {
        try await WebhookReceiver.run(secret: EventFeed.secret) { receiver, url in
            let overrides = ["EVENTS_URL": url.absoluteString, "EVENTS_SECRET": EventFeed.secret]
            try await TestApp.run(overrides: overrides) { app in
                let sessionId = try await app.simulator.createDialog(#"{"form":"consent-capture"}"#)
                let marker = "Ana-\(UUID().uuidString)"
                let response = try await app.submit(
                    "/f/consent-capture?sessionId=\(sessionId.rawValue)",
                    [("fullName", marker), ("channel", "sms"), ("consent", "true")]
                )
                #expect(response.status == .seeOther)
                try await waitUntil { receiver.delivered.contains { $0.type == "outcome.delivered" } }
                let event = try #require(receiver.delivered.first { $0.type == "outcome.delivered" })
                #expect(event.sessionId == sessionId.rawValue)
                #expect(event.data?["formId"] as? String == "consent-capture")
                #expect(!event.body.contains(marker))
                let metrics = try await app.get("/metrics").text
                #expect(metrics.contains(#"events_delivered_total{type="outcome.delivered"} 1"#))
            }
        }
    }

    @Test("a person's whole path arrives in the order it happened, each event naming the form's version and none a value")
    func flowEvents() async throws {
        try await WebhookReceiver.run(secret: EventFeed.secret) { receiver, url in
            let overrides = ["EVENTS_URL": url.absoluteString, "EVENTS_SECRET": EventFeed.secret]
            try await TestApp.run(overrides: overrides) { app in
                let forms = try FormCatalog.load(directory: packageRoot.appendingPathComponent("config/forms").path)
                let claimVersion = try #require(forms["claim-report"]?.version)
                let contactVersion = try #require(forms["contact-details"]?.version)

                // Three steps and the review.
                let claim = try await app.simulator.createDialog(MultiStepFormTests.context)
                let visitor = StepVisitor(app, formURI: MultiStepFormTests.uri(claim))
                _ = try await visitor.get()
                try await visitor.next(MultiStepFormTests.incident)
                try await visitor.next(MultiStepFormTests.details)
                try await visitor.next(MultiStepFormTests.contact)
                #expect(try await visitor.post("submit", []).status == .seeOther)

                // A wrong answer, then the right one, then the form.
                let contact = try await app.simulator.createDialog(VerificationTests.context)
                let verifying = StepVisitor(app, formURI: VerificationTests.uri(contact))
                _ = try await verifying.get()
                #expect(
                    try await verifying.post(nil, VerificationTests.wrong, to: VerificationTests.verifyURI(contact)).status == .unprocessableContent
                )
                #expect(try await verifying.post(nil, VerificationTests.right, to: VerificationTests.verifyURI(contact)).status == .seeOther)
                let page = try await verifying.get()
                #expect(page.status == .ok)
                #expect(try await verifying.post("submit", [("email", "zeb.new@example.test"), ("phone", "+44 7700 900999")]).status == .seeOther)

                try await waitUntil(limit: .seconds(30)) { receiver.delivered.filter { $0.type == "outcome.delivered" }.count == 2 }
                let claimEvents = receiver.delivered.filter { $0.sessionId == claim.rawValue }
                #expect(
                    claimEvents.map { [$0.type ?? "", $0.data?["step"] as? String ?? ""] } == [
                        ["link.opened", ""], ["step.completed", "incident"], ["step.completed", "details"], ["step.completed", "contact"],
                        ["form.submitted", ""], ["outcome.delivered", ""],
                    ]
                )
                #expect(claimEvents.allSatisfy { $0.data?["formVersion"] as? String == claimVersion })
                let contactEvents = receiver.delivered.filter { $0.sessionId == contact.rawValue }
                #expect(
                    contactEvents.compactMap(\.type) == [
                        "link.opened", "verification.failed", "verification.passed", "form.submitted", "outcome.delivered",
                    ]
                )
                #expect(contactEvents.allSatisfy { $0.data?["formVersion"] as? String == contactVersion })
                let values = ["Ada", "Bike", "12 Quay Street", "PR-5521", "QX4418207", "ada.new@example.test", "BS2 0AA", "zeb.new@example.test"]
                for event in receiver.delivered {
                    for value in values + VerificationTests.contextValues { #expect(!event.body.contains(value), "\(value) in \(event.body)") }
                }
            }
        }
    }

    @Test("with events.url unset, nothing is recorded and no events series exists")
    func offCostsNothing() async throws {
        try await TestApp.run { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"consent-capture"}"#)
            let response = try await app.submit(
                "/f/consent-capture?sessionId=\(sessionId.rawValue)",
                [("fullName", "Ana"), ("channel", "sms"), ("consent", "true")]
            )
            #expect(response.status == .seeOther)
            _ = try await app.simulator.waitForOutcomes(sessionId)
            let metrics = try await app.get("/metrics").text
            #expect(metrics.contains("outbox_delivered_total"), "the check sees the registry")
            #expect(!metrics.contains("events_recorded_total"))
            #expect(!metrics.contains("events_delivered_total"))
            let database = try SQLiteDatabase.open(path: app.databasePath)
            #expect(try await database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") } == 0)
            try database.close()
        }
    }
}
