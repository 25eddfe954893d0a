import Foundation
import MetricsTestKit
import ServiceLifecycle
import Testing

@testable import App

@Suite("The event sender as a service, and the retention of sent events")
struct EventSenderLifecycleTests {
    @Test("graceful shutdown lets the attempt in flight finish and starts no new one")
    func drainsOnShutdown() async throws {
        try await WebhookReceiver.run(secret: EventFeed.secret) { receiver, url in
            try await EventFeed.withHTTPClient { client in
                receiver.latency.withLock { $0 = .milliseconds(300) }
                let store = InMemoryEventStore()
                let recorder = EventFeed.recorder(store)
                await recorder.record(.linkOpened, sessionId: "s-1", formId: "claim", formVersion: "3", at: Date())
                await recorder.record(.formSubmitted, sessionId: "s-1", formId: "claim", formVersion: "3", at: Date())
                let sender = EventFeed.sender(store: store, client: client, settings: try EventFeed.settings(url: url))
                let group = ServiceGroup(configuration: .init(services: [sender], logger: quietLogger))
                let running = Task { try await group.run() }
                try await waitUntil { receiver.inFlightCount == 1 }
                await group.triggerGracefulShutdown()
                try await running.value

                #expect(receiver.received.map(\.status) == [204], "the attempt in flight finished; the next was not started")
                let events = try await store.events(state: nil, limit: 10)
                #expect(events.map(\.state) == [.delivered, .pending], "its result recorded; the rest waits for the next start")
            }
        }
    }

    @Test("the retention job deletes events delivered or given up before events.retention, never pending ones")
    func retention() async throws {
        let clock = TestDateClock()
        let store = InMemoryEventStore()
        for index in 0..<3 { try await store.record(EventStoreContract.event("msg_\(index)", session: "s-\(index)", at: clock.now)) }
        let claimed = try await store.claimDue(now: clock.now, limit: 2, claimUntil: clock.now.addingTimeInterval(60))
        try await store.markDelivered(id: claimed[0].id, at: clock.now)
        try await store.markAbandoned(id: claimed[1].id, reason: "old", at: clock.now)
        let metrics = TestMetrics()
        let retention = RetentionService(
            store: InMemoryOutboxStore(),
            events: store,
            settings: try await AppConfig.load(environment: [:]).retention,
            eventRetention: .seconds(3600),
            logger: quietLogger,
            metricsFactory: metrics,
            now: clock.function
        )
        clock.advance(by: 3599)
        #expect(try await retention.purgeEvents() == 0, "not yet")
        clock.advance(by: 2)
        #expect(try await retention.purgeEvents() == 2)
        #expect(try await store.events(state: nil, limit: 10).map(\.state) == [.pending])
        #expect(try metrics.expectCounter("events_purged_total").totalValue == 2)
    }
}
