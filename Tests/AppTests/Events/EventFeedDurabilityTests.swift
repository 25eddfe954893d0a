import AlvariaModels
import Foundation
import Logging
import Metrics
import MetricsTestKit
import Testing

@testable import App

/// The feed's promises beyond one sender's memory: a restart on the same SQLite file, two
/// instances on one PostgreSQL database, and nothing a person typed in any event.
@Suite("The event feed across restarts and instances")
struct EventFeedDurabilityTests {
    @Test("events pending when a sender stops arrive from the next one started on the same SQLite file")
    func survivesRestart() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("app.sqlite").path
            try await WebhookReceiver.run(secret: EventFeed.secret) { receiver, url in
                try await EventFeed.withHTTPClient { client in
                    receiver.answer.withLock { $0 = { _, _ in .badGateway } }
                    let settings = try EventFeed.settings(url: url)
                    let firstStore = SQLiteEventStore(database: try SQLiteDatabase.open(path: path))
                    let recorder = EventFeed.recorder(firstStore)
                    for session in ["s-1", "s-2"] {
                        for type in [EventType.linkOpened, .formSubmitted] {
                            await recorder.record(type, sessionId: session, formId: "claim", formVersion: "3", at: Date())
                        }
                    }
                    let recorded = try await firstStore.events(state: nil, limit: 10)
                    try await EventFeed.running([EventFeed.sender(store: firstStore, client: client, settings: settings)]) {
                        try await waitUntil { receiver.received.count >= 4 }
                    }
                    #expect(try await firstStore.counts()[.pending] == 4, "stopped with all four pending")
                    try firstStore.database.close()

                    receiver.answer.withLock { $0 = { _, _ in .noContent } }
                    let reopened = SQLiteEventStore(database: try SQLiteDatabase.open(path: path))
                    try await EventFeed.running([EventFeed.sender(store: reopened, client: client, settings: settings)]) {
                        try await waitUntil { receiver.delivered.count == 4 }
                    }
                    #expect(Set(receiver.delivered.map(\.webhookId)) == Set(recorded.map(\.webhookId)), "the ids fixed when recorded")
                    for session in ["s-1", "s-2"] {
                        #expect(receiver.delivered.filter { $0.sessionId == session }.map(\.type) == ["link.opened", "form.submitted"])
                    }
                    #expect(try await reopened.counts() == [.pending: 0, .delivered: 4, .abandoned: 0])
                    #expect(receiver.received.allSatisfy { $0.verified })
                }
            }
        }
    }

    @Test(
        "two instances on one PostgreSQL database deliver every event once, never one at the same time twice, in order per session",
        .enabled(if: PostgresTestServer.isAvailable, "needs TEST_POSTGRES_URL (scripts/test.sh starts one)")
    )
    func twoInstances() async throws {
        try await PostgresSessionStateStoreTests.withTwoInstances { first, second in
            try await WebhookReceiver.run(secret: EventFeed.secret) { receiver, url in
                try await EventFeed.withHTTPClient { client in
                    // Slow enough that a second post of an id in flight would overlap it; every
                    // event's first attempt fails, so retries are claimed by either instance.
                    receiver.latency.withLock { $0 = .milliseconds(20) }
                    receiver.answer.withLock { $0 = { _, earlier in earlier == 0 ? .internalServerError : .noContent } }
                    let types: [EventType] = [.linkOpened, .verificationPassed, .stepCompleted, .formSubmitted]
                    for index in 0..<8 {
                        for type in types {
                            let recorder = EventFeed.recorder(index % 2 == 0 ? first.events : second.events)
                            await recorder.record(type, sessionId: "s-\(index)", formId: "claim", formVersion: "3", at: Date())
                        }
                    }
                    let settings = try EventFeed.settings(url: url)
                    let metrics = [TestMetrics(), TestMetrics()]
                    let senders = [
                        EventFeed.sender(store: first.events, client: client, settings: settings, metrics: EventMetrics(factory: metrics[0])),
                        EventFeed.sender(store: second.events, client: client, settings: settings, metrics: EventMetrics(factory: metrics[1])),
                    ]
                    try await EventFeed.running(senders) {
                        try await waitUntil(limit: .seconds(30)) { receiver.delivered.count >= 32 }
                    }
                    #expect(receiver.delivered.count == 32, "each event delivered once")
                    #expect(Set(receiver.delivered.map(\.webhookId)).count == 32)
                    #expect(receiver.concurrentRepeats.withLock { $0 } == 0, "an event was posted twice at once")
                    #expect(receiver.reusedIds.withLock { $0 }.isEmpty)
                    #expect(receiver.received.allSatisfy { $0.verified })
                    for index in 0..<8 {
                        #expect(
                            receiver.delivered.filter { $0.sessionId == "s-\(index)" }.map(\.type) == types.map(\.rawValue),
                            "session s-\(index) out of order"
                        )
                        // Never a later event's attempt before the earlier one's delivery.
                        let attempts = receiver.received.filter { $0.sessionId == "s-\(index)" }
                        let order = attempts.map { types.firstIndex(of: EventType(rawValue: $0.type ?? "") ?? .outcomeFailed) ?? -1 }
                        #expect(order == order.sorted(), "session s-\(index) attempts out of order: \(order)")
                    }
                    #expect(try await first.events.counts() == [.pending: 0, .delivered: 32, .abandoned: 0])
                    // Both instances did their share: the guarantees above held between them, not for one alone.
                    let deliveredBy = try metrics.map { metrics in
                        try EventType.allCases.reduce(Int64(0)) { sum, type in
                            sum + (try metrics.expectCounter("events_delivered_total", [("type", type.rawValue)]).totalValue)
                        }
                    }
                    #expect(deliveredBy.reduce(0, +) == 32)
                    #expect(deliveredBy.allSatisfy { $0 > 0 }, "one instance delivered everything: \(deliveredBy)")
                }
            }
        }
    }

    @Test("no event carries a value the person typed: outcomes delivered through the deliverer tell only ids")
    func noFieldValues() async throws {
        let marker = "FIELD-MARKER-\(UUID().uuidString)"
        try await withTemporaryFolder { folder in
            let database = try SQLiteDatabase.open(path: folder.appendingPathComponent("app.sqlite").path)
            let outbox = SQLiteOutboxStore(database: database)
            let events = SQLiteEventStore(database: database)
            let recorder = EventFeed.recorder(events)
            let deliverer = Deliverer(
                store: outbox,
                poster: AnsweringPoster(),
                settings: try await AppConfig.load(environment: [:]).delivery,
                logger: quietLogger,
                metricsFactory: TestMetrics(),
                events: recorder
            )
            let variables = [OutcomeVariable(id: "street", value: "\(marker) 1 Main St"), OutcomeVariable(id: "note", value: marker)]
            for session in ["s-ok", "s-refused"] {
                let entry = try await outbox.enqueue(
                    newOutcome(session, variables: variables, createdAt: Date()),
                    claimedUntil: Date().addingTimeInterval(60)
                ).storedEntry()
                _ = await deliverer.deliverNow(entry, budget: .seconds(5), logger: quietLogger)
            }
            await deliverer.waitForBackgroundWork()

            let stored = try await events.events(state: nil, limit: 10)
            #expect(Set(stored.map(\.type)) == [.outcomeDelivered, .outcomeFailed])
            for event in stored {
                #expect(!event.body.contains(marker), "a field value is in an event")
                let json = try #require(try JSONSerialization.jsonObject(with: Data(event.body.utf8)) as? [String: Any])
                #expect(Set(json.keys) == ["type", "timestamp", "data"])
                let data = try #require(json["data"] as? [String: Any])
                #expect(Set(data.keys).isSubset(of: ["sessionId", "formId", "formVersion", "step"]))
                #expect(data["formId"] as? String == "address-update")
            }
            // The control: the same check sees the marker where it is, in the outbox.
            #expect(try await outbox.entries(state: nil, limit: 10).contains { $0.variables?.contains { $0.value.contains(marker) } == true })
            try database.close()
        }
    }
}

/// Answers 204 for `s-ok` and 400 for any other session: one delivered outcome, one refused.
private struct AnsweringPoster: OutcomePoster {
    func postOutcome(_ variables: [OutcomeVariable], for sessionId: SessionID, logger: Logger) async throws(AlvariaError) {
        if sessionId.rawValue != "s-ok" {
            throw AlvariaError.badRequest(ErrorResponse(code: 400, message: "Validation failed", errors: []))
        }
    }
}
