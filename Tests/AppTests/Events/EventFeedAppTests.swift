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
