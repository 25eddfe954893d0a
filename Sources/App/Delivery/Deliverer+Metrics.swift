import Foundation
import Logging
import Metrics

/// The deliverer's metrics, made once from the factory it was given (Prometheus in production,
/// `TestMetrics` in tests), so nothing depends on the global bootstrap.
///
/// - `outbox_attempts_total{result="delivered"|"retry"|"failed"}`: every attempt and what came of it
/// - `outbox_delivered_total`, `outbox_failed_total`: outcomes that reached an end
/// - `outbox_delivery_latency_seconds`: from the submit (the entry's `createdAt`) to Alvaria's 204
/// - `outbox_queued`, `outbox_failed`: entries in those states, counted after each background pass
///
/// Counted when an attempt's result is known, like delivery itself at least once: if recording
/// the result in the store fails, the entry is attempted (and counted) again later.
struct DeliveryMetrics: Sendable {
    let delivered: Counter
    let failed: Counter
    let deliveredAttempts: Counter
    let retriedAttempts: Counter
    let failedAttempts: Counter
    let latency: CoreMetrics.Timer
    let queuedNow: Gauge
    let failedNow: Gauge

    init(factory: any MetricsFactory) {
        // Made up front rather than on first use, so every series is there (at zero) from the start.
        delivered = Counter(label: "outbox_delivered_total", factory: factory)
        failed = Counter(label: "outbox_failed_total", factory: factory)
        let attempts = { (result: String) in Counter(label: "outbox_attempts_total", dimensions: [("result", result)], factory: factory) }
        deliveredAttempts = attempts("delivered")
        retriedAttempts = attempts("retry")
        failedAttempts = attempts("failed")
        latency = CoreMetrics.Timer(label: "outbox_delivery_latency_seconds", preferredDisplayUnit: .seconds, factory: factory)
        queuedNow = Gauge(label: "outbox_queued", factory: factory)
        failedNow = Gauge(label: "outbox_failed", factory: factory)
    }

    /// Counts one attempt of an entry created at `createdAt` that ended with `result` at `now`.
    func record(_ result: Deliverer.ImmediateResult, createdAt: Date, at now: Date) {
        switch result {
        case .delivered:
            deliveredAttempts.increment()
            delivered.increment()
            // Another instance's clock may run a little behind: never a negative latency.
            latency.recordSeconds(max(0, now.timeIntervalSince(createdAt)))
        case .pending:
            retriedAttempts.increment()
        case .failed:
            failedAttempts.increment()
            failed.increment()
        }
    }

    /// Sets the gauges from the store's counts.
    func refresh(_ counts: [OutboxState: Int]) {
        queuedNow.record(counts[.queued] ?? 0)
        failedNow.record(counts[.failed] ?? 0)
    }
}

extension Deliverer {
    /// Refreshes `outbox_queued` and `outbox_failed` from ``OutboxStore/counts()``: one query per
    /// background pass. A failure only leaves the gauges as they were.
    func refreshGauges() async {
        do {
            metrics.refresh(try await store.counts())
        } catch {
            logger.warning("Cannot count the outbox for its gauges", metadata: ["outbox.storeError": "\(error)"])
        }
    }
}
