import AlvariaModels
import Foundation
import Metrics
import MetricsTestKit
import Testing

@testable import App

/// The sender posting to a receiver written to the specification (``WebhookReceiver``), over real
/// HTTP on loopback.
@Suite("The event sender, against a Standard Webhooks receiver")
struct EventSenderTests {
    private static let start = Date()

    @Test("delivers every event signed as the receiver verifies it, one id per event, the body as recorded")
    func deliversVerified() async throws {
        try await WebhookReceiver.run(secret: EventFeed.secret) { receiver, url in
            try await EventFeed.withHTTPClient { client in
                let store = InMemoryEventStore()
                let recorder = EventFeed.recorder(store)
                await recorder.record(.linkOpened, sessionId: "s-1", formId: "claim", formVersion: "3", at: Self.start)
                await recorder.record(.stepCompleted, sessionId: "s-1", formId: "claim", formVersion: "3", step: "incident", at: Self.start)
                await recorder.record(.formSubmitted, sessionId: "s-2", formId: "claim", formVersion: "3", at: Self.start)
                let recorded = try await store.events(state: nil, limit: 10)

                try await EventFeed.running([EventFeed.sender(store: store, client: client, settings: try EventFeed.settings(url: url))]) {
                    try await waitUntil { receiver.delivered.count == 3 }
                }
                #expect(receiver.received.count == 3, "one attempt each")
                #expect(receiver.received.allSatisfy { $0.verified })
                #expect(Set(receiver.delivered.map(\.webhookId)) == Set(recorded.map(\.webhookId)))
                #expect(Set(recorded.map(\.webhookId)).count == 3)
                #expect(recorded.allSatisfy { $0.webhookId.hasPrefix("msg_") && !$0.webhookId.contains(".") })
                for event in recorded {
                    #expect(receiver.delivered.first { $0.webhookId == event.webhookId }?.body == event.body, "sent as recorded")
                }
                let step = try #require(receiver.delivered.first { $0.type == "step.completed" })
                #expect(step.data?["step"] as? String == "incident")
                #expect(step.data?["formVersion"] as? String == "3")
                #expect(receiver.delivered.first { $0.type == "link.opened" }?.data?.keys.contains("step") == false)
                #expect(try await store.counts() == [.pending: 0, .delivered: 3, .abandoned: 0])
            }
        }
    }

    @Test("retries while the receiver answers 500, then delivers under the same webhook-id and a fresh timestamp")
    func retriesThenDelivers() async throws {
        try await WebhookReceiver.run(secret: EventFeed.secret) { receiver, url in
            try await EventFeed.withHTTPClient { client in
                receiver.answer.withLock { $0 = { _, earlier in earlier < 3 ? .internalServerError : .noContent } }
                let store = InMemoryEventStore()
                let metrics = TestMetrics()
                let eventMetrics = EventMetrics(factory: metrics)
                await EventFeed.recorder(store, metrics: eventMetrics)
                    .record(.formSubmitted, sessionId: "s-1", formId: "claim", formVersion: "3", at: Self.start)
                let sender = EventFeed.sender(store: store, client: client, settings: try EventFeed.settings(url: url), metrics: eventMetrics)
                try await EventFeed.running([sender]) {
                    try await waitUntil { receiver.delivered.count == 1 }
                }
                let attempts = receiver.received
                #expect(attempts.map(\.status) == [500, 500, 500, 204])
                #expect(Set(attempts.map(\.webhookId)).count == 1, "the same id on every attempt")
                #expect(attempts.allSatisfy { $0.verified }, "each attempt signed for its own timestamp")
                let stored = try #require(try await store.events(state: nil, limit: 1).first)
                #expect(stored.state == .delivered)
                #expect(stored.attempts == 4)
                let type = [("type", "form.submitted")]
                #expect(try metrics.expectCounter("events_recorded_total", type).totalValue == 1)
                #expect(try metrics.expectCounter("events_retried_total", type).totalValue == 3)
                #expect(try metrics.expectCounter("events_delivered_total", type).totalValue == 1)
                #expect(try metrics.expectCounter("events_given_up_total", type).totalValue == 0)
                #expect(try metrics.expectTimer("events_delivery_latency_seconds").values.count == 1)
            }
        }
    }

    @Test("keeps a session's order while its first event is retried; other sessions go on meanwhile")
    func ordersPerSession() async throws {
        try await WebhookReceiver.run(secret: EventFeed.secret) { receiver, url in
            try await EventFeed.withHTTPClient { client in
                let store = InMemoryEventStore()
                let recorder = EventFeed.recorder(store)
                await recorder.record(.linkOpened, sessionId: "s-1", formId: "claim", formVersion: "3", at: Self.start)
                let first = try #require(try await store.events(state: nil, limit: 1).first?.webhookId)
                receiver.answer.withLock { $0 = { id, earlier in id == first && earlier < 4 ? .internalServerError : .ok } }
                for type in [EventType.verificationPassed, .stepCompleted, .formSubmitted] {
                    await recorder.record(type, sessionId: "s-1", formId: "claim", formVersion: "3", at: Self.start)
                }
                await recorder.record(.linkOpened, sessionId: "s-2", formId: "claim", formVersion: "3", at: Self.start)

                try await EventFeed.running([EventFeed.sender(store: store, client: client, settings: try EventFeed.settings(url: url))]) {
                    try await waitUntil { receiver.delivered.count == 5 }
                }
                let attempts = receiver.received
                let firstDelivered = try #require(attempts.firstIndex { $0.webhookId == first && $0.status == 200 })
                let laterOnes = attempts.indices.filter { attempts[$0].sessionId == "s-1" && attempts[$0].webhookId != first }
                #expect(laterOnes.allSatisfy { $0 > firstDelivered }, "a later event of s-1 was sent before its first was delivered")
                #expect(
                    receiver.delivered.filter { $0.sessionId == "s-1" }.map(\.type)
                        == ["link.opened", "verification.passed", "step.completed", "form.submitted"]
                )
                let otherSession = try #require(attempts.firstIndex { $0.sessionId == "s-2" })
                #expect(otherSession < firstDelivered, "s-2 waited for s-1")
            }
        }
    }

    @Test("gives up an event past events.maxAge, counts it, and lets its session's next event go")
    func givesUpOldEvents() async throws {
        try await WebhookReceiver.run(secret: EventFeed.secret) { receiver, url in
            try await EventFeed.withHTTPClient { client in
                let clock = TestDateClock()
                let store = InMemoryEventStore()
                let recorder = EventFeed.recorder(store)
                await recorder.record(.linkOpened, sessionId: "s-1", formId: "claim", formVersion: "3", at: clock.now)
                let first = try #require(try await store.events(state: nil, limit: 1).first?.webhookId)
                receiver.answer.withLock { $0 = { id, _ in id == first ? .serviceUnavailable : .noContent } }
                clock.advance(by: 30)
                await recorder.record(.formSubmitted, sessionId: "s-1", formId: "claim", formVersion: "3", at: clock.now)
                let metrics = TestMetrics()
                let sender = EventFeed.sender(
                    store: store,
                    client: client,
                    settings: try EventFeed.settings(url: url, maxAge: .seconds(60)),
                    metrics: EventMetrics(factory: metrics),
                    now: { clock.now }
                )

                await sender.sendDue()
                #expect(receiver.received.map(\.status) == [503], "tried, kept")
                clock.advance(by: 31)  // the first is now 61 s old
                await sender.sendDue()
                await sender.sendDue()
                #expect(receiver.received.map(\.status) == [503, 503, 204])
                let events = try await store.events(state: nil, limit: 10)
                #expect(events.map(\.state) == [.abandoned, .delivered])
                #expect(events.first?.lastError == "gave up after 1m: the receiver answered 503")
                #expect(try metrics.expectCounter("events_given_up_total", [("type", "link.opened")]).totalValue == 1)
            }
        }
    }

    @Test("a redirect is not a delivery: the event stays pending with the reason, and goes once the receiver answers itself")
    func redirectIsNotDelivery() async throws {
        try await WebhookReceiver.run(secret: EventFeed.secret) { receiver, url in
            try await EventFeed.withHTTPClient { client in
                receiver.redirect.withLock { $0 = "/moved" }
                let store = InMemoryEventStore()
                await EventFeed.recorder(store).record(.formSubmitted, sessionId: "s-1", formId: "claim", formVersion: "3", at: Date())
                let sender = EventFeed.sender(store: store, client: client, settings: try EventFeed.settings(url: url))
                await sender.sendDue()
                #expect(receiver.movedRequests.withLock { $0 } == 1, "the client followed it, as a GET")
                let event = try #require(try await store.events(state: nil, limit: 1).first)
                #expect(event.state == .pending)
                #expect(event.lastError == "the receiver redirected; set events.url to the final address")

                receiver.redirect.withLock { $0 = nil }
                try await waitUntil {
                    await sender.sendDue()
                    return receiver.delivered.count == 1
                }
                #expect(try await store.events(state: nil, limit: 1).first?.state == .delivered)
            }
        }
    }

    @Test("a receiver that never answers holds up no recording, and its timeout is retried")
    func deadReceiverDelaysNothing() async throws {
        try await WebhookReceiver.run(secret: EventFeed.secret) { receiver, url in
            try await EventFeed.withHTTPClient { client in
                receiver.latency.withLock { $0 = .seconds(2) }
                let store = InMemoryEventStore()
                let recorder = EventFeed.recorder(store)
                var settings = try EventFeed.settings(url: url)
                settings.timeout = .milliseconds(200)
                let sender = EventFeed.sender(store: store, client: client, settings: settings)
                await recorder.record(.linkOpened, sessionId: "s-1", formId: "claim", formVersion: "3", at: Self.start)
                try await EventFeed.running([sender]) {
                    try await waitUntil { receiver.inFlightCount == 1 }
                    // While the sender waits on the receiver, recording goes on at the store's pace.
                    let before = ContinuousClock.now
                    await recorder.record(.formSubmitted, sessionId: "s-1", formId: "claim", formVersion: "3", at: Self.start)
                    #expect(ContinuousClock.now - before < .milliseconds(100))
                    try await waitUntil { (try await store.events(state: nil, limit: 1).first?.attempts ?? 0) >= 2 }
                }
                let first = try #require(try await store.events(state: nil, limit: 1).first)
                #expect(first.state == .pending)
                #expect(first.lastError?.hasPrefix("no answer from the receiver") == true)
            }
        }
    }
}
