public import Foundation
public import Logging

/// What the form flow and the deliverer call when something happens in a session: stores the
/// event for the ``EventSender`` to post, and returns. The HTTP call is never made here, so a slow
/// or dead receiver delays no page.
///
/// ``off`` (`events.url` unset) does nothing at all. It never throws into its caller: a failed
/// insert is logged (the event's type and the error's kind, never a value) and counted in
/// `events_record_failures_total`, and the person's page goes on.
///
/// Recording is awaited, so one session's events are stored, and so sent, in the order the flow
/// records them.
public struct EventRecorder: Sendable {
    /// The store, metrics and logger of a feed that is on.
    struct Sink: Sendable {
        let store: any EventStore
        let metrics: EventMetrics
        let logger: Logger
    }

    let sink: Sink?

    /// The feed off: every call returns at once.
    public static let off = EventRecorder(sink: nil)

    init(sink: Sink?) {
        self.sink = sink
    }

    public init(store: any EventStore, metrics: EventMetrics, logger: Logger) {
        var logger = logger
        logger[metadataKey: "component"] = "events"
        self.init(sink: Sink(store: store, metrics: metrics, logger: logger))
    }

    /// True when events are recorded (`events.url` is set).
    public var isOn: Bool { sink != nil }

    /// Records one event of `sessionId` that happened `at`: its webhook id is fixed now, its body
    /// (identifiers only) too.
    public func record(
        _ type: EventType,
        sessionId: String,
        formId: String,
        formVersion: String,
        step: String? = nil,
        at: Date
    ) async {
        guard let sink else { return }
        do {
            let body = try WebhookEvent(type: type, at: at, sessionId: sessionId, formId: formId, formVersion: formVersion, step: step)
                .encoded()
            try await sink.store.record(
                NewEvent(webhookId: WebhookEvent.makeId(), sessionId: sessionId, type: type, body: body, createdAt: at)
            )
            sink.metrics.recorded[type]?.increment()
        } catch {
            sink.metrics.recordFailures[type]?.increment()
            // The kind only: a driver's message can quote the statement's values.
            sink.logger.error(
                "Cannot record an event; it will not be sent",
                metadata: ["events.type": "\(type.rawValue)", "events.error": "\(Swift.type(of: error))"]
            )
        }
    }
}
