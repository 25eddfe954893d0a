import Foundation
public import Metrics

/// The live event feed's metrics, made once from the app's factory (Prometheus in production,
/// `TestMetrics` in tests) and shared by the recorder and the sender.
///
/// - `events_recorded_total{type}`: events stored for sending
/// - `events_record_failures_total{type}`: events lost because the store refused the insert
/// - `events_delivered_total{type}`: events a receiver answered 2xx to
/// - `events_retried_total{type}`: attempts that failed and will be tried again
/// - `events_given_up_total{type}`: events abandoned after `events.maxAge`
/// - `events_delivery_latency_seconds`: from the event to the receiver's 2xx
/// - `events_pending`: events waiting, counted after each sender pass
///
/// Made only when the feed is on: with `events.url` unset no series exists.
public struct EventMetrics: Sendable {
    let recorded: [EventType: Counter]
    let recordFailures: [EventType: Counter]
    let delivered: [EventType: Counter]
    let retried: [EventType: Counter]
    let givenUp: [EventType: Counter]
    let latency: CoreMetrics.Timer
    let pendingNow: Gauge

    public init(factory: any MetricsFactory) {
        // Up front, so every series is there (at zero) from the start.
        func perType(_ label: String) -> [EventType: Counter] {
            Dictionary(
                uniqueKeysWithValues: EventType.allCases.map { type in
                    (type, Counter(label: label, dimensions: [("type", type.rawValue)], factory: factory))
                }
            )
        }
        recorded = perType("events_recorded_total")
        recordFailures = perType("events_record_failures_total")
        delivered = perType("events_delivered_total")
        retried = perType("events_retried_total")
        givenUp = perType("events_given_up_total")
        latency = CoreMetrics.Timer(label: "events_delivery_latency_seconds", preferredDisplayUnit: .seconds, factory: factory)
        pendingNow = Gauge(label: "events_pending", factory: factory)
    }
}
