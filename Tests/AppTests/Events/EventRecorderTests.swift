import Foundation
import Logging
import MetricsTestKit
import Testing

@testable import App

/// With the feed off the recorder is ``EventRecorder/off``; `EventFeedAppTests` shows it records nothing then.
@Suite("The event recorder")
struct EventRecorderTests {
    @Test("records an event with a fresh msg_ id, the body in the documented shape, and counts it")
    func recordsAndCounts() async throws {
        let store = InMemoryEventStore()
        let metrics = TestMetrics()
        let recorder = EventFeed.recorder(store, metrics: EventMetrics(factory: metrics))
        #expect(recorder.isOn)
        let at = Date(timeIntervalSince1970: 1_800_000_000.25)
        await recorder.record(.stepCompleted, sessionId: "s-1", formId: "claim", formVersion: "3", step: "incident", at: at)
        await recorder.record(.stepCompleted, sessionId: "s-1", formId: "claim", formVersion: "3", step: "contact", at: at)
        let events = try await store.events(state: nil, limit: 10)
        #expect(events.count == 2)
        #expect(events[0].webhookId != events[1].webhookId)
        #expect(events.allSatisfy { $0.webhookId.range(of: "^msg_[A-Za-z0-9]{24}$", options: .regularExpression) != nil })
        #expect(
            events[0].body
                == #"{"data":{"formId":"claim","formVersion":"3","sessionId":"s-1","step":"incident"},"timestamp":"2027-01-15T08:00:00.250Z","type":"step.completed"}"#
        )
        #expect(events[0].createdAt == at)
        #expect(try metrics.expectCounter("events_recorded_total", [("type", "step.completed")]).totalValue == 2)
    }

    @Test("a failed insert never reaches the caller: it is counted and logged with the type and the error's kind only")
    func failureIsContained() async throws {
        let store = InMemoryEventStore()
        store.failure.withLock { $0 = OutboxStoreError.unavailable(reason: "SECRET-DETAIL s-secret-session") }
        let metrics = TestMetrics()
        let logs = CapturedLogs()
        let recorder = EventRecorder(store: store, metrics: EventMetrics(factory: metrics), logger: logs.logger)
        await recorder.record(.formSubmitted, sessionId: "s-secret-session", formId: "claim", formVersion: "3", at: Date())
        #expect(try metrics.expectCounter("events_record_failures_total", [("type", "form.submitted")]).totalValue == 1)
        #expect(try metrics.expectCounter("events_recorded_total", [("type", "form.submitted")]).totalValue == 0)
        let line = try #require(logs.lines.first { $0.level == .error })
        #expect(line.metadata["events.type"] == "form.submitted")
        #expect(!line.text.contains("s-secret-session"))
        #expect(!line.text.contains("SECRET-DETAIL"))
    }
}
