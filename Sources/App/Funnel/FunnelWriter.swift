import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Writes the funnel's marks to the database in batches, off the request path: a page only adds
/// its mark to memory, and this service stores what has gathered every `interval` (1 s) and once
/// more on graceful shutdown.
///
/// The funnel is a statistic: a crash loses at most the last interval's marks, and a database
/// that is down keeps at most ``capacity`` marks waiting (the rest are counted in
/// `funnel_marks_dropped_total` and logged by count), so neither a page nor memory ever waits
/// on it.
final class FunnelWriter: Service, Sendable {
    static let capacity = 10_000

    let store: any FunnelStore
    let interval: Duration
    private let pending = Mutex<[FunnelMark]>([])
    private let logger: Logger
    private let dropped: Counter

    init(store: any FunnelStore, interval: Duration = .seconds(1), logger: Logger, metricsFactory: any MetricsFactory) {
        self.store = store
        self.interval = interval
        var logger = logger
        logger[metadataKey: "component"] = "funnel"
        self.logger = logger
        dropped = Counter(label: "funnel_marks_dropped_total", factory: metricsFactory)
    }

    func add(_ marks: [FunnelMark]) {
        let refused = pending.withLock { pending in
            let room = max(0, Self.capacity - pending.count)
            pending.append(contentsOf: marks.prefix(room))
            return marks.count - min(room, marks.count)
        }
        if refused > 0 { dropped.increment(by: refused) }
    }

    /// Stores what has gathered; on a store error keeps it for the next try, as room allows.
    func flush() async {
        let batch = pending.withLock { pending in
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
        guard !batch.isEmpty else { return }
        do {
            try await store.record(batch)
        } catch {
            logger.warning(
                "Funnel marks not stored; will try again",
                metadata: ["funnel.marks": "\(batch.count)", "funnel.storeError": "\(type(of: error))"]
            )
            add(batch)
        }
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
            } catch {
                break
            }
            await flush()
        }
        await flush()
    }
}
