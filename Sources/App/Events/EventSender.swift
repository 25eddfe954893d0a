public import AsyncHTTPClient
import Foundation
public import Logging
public import ServiceLifecycle

/// Posts recorded events to `events.url` as signed Standard Webhooks, in the background: retried
/// with backoff and full jitter until the receiver answers 2xx or the event is older than
/// `events.maxAge` (then given up, counted, and its session's next event may go).
///
/// In order per session: the store hands out only a session's oldest pending event
/// (``EventStore/claimDue(now:limit:claimUntil:)``), so a later event never overtakes an earlier
/// one still being retried. Every attempt holds a claim (``EventSettings/claimLease``), so senders
/// on several instances sharing a PostgreSQL database never post the same event at once.
/// Delivery is at least once: a crash between the receiver's 2xx and ``EventStore/markDelivered(id:at:)``
/// posts the event again, under the same `webhook-id`, once the claim expires; receivers use the
/// id to drop repeats, as the specification says.
///
/// A `Service` for the application's `ServiceGroup`, after the HTTP client's service (services
/// stop in reverse order, and the sender needs the client while it drains). On graceful shutdown
/// it starts no new batch and lets the attempts in flight finish.
public final class EventSender: Service, Sendable {
    /// Attempts in flight per batch; also the batch size, so nothing is claimed before it can be worked on.
    static let concurrency = 8
    /// Batches per pass before waiting for the next tick.
    static let maxBatchesPerPass = 16
    /// A receiver's answer is read (so the connection can be reused) up to this much, then dropped.
    static let maxResponseBytes = 64 * 1024

    let store: any EventStore
    let httpClient: HTTPClient
    let settings: EventSettings
    let logger: Logger
    let pollInterval: Duration
    /// The clock of due times and ages (tests move it).
    let now: @Sendable () -> Date
    /// The clock of `webhook-timestamp`: the attempt's real time, which receivers check against
    /// their own clocks whatever the tests do to ``now``.
    let wallClock: @Sendable () -> Date
    let retryPolicy: RetryPolicy
    let metrics: EventMetrics

    public convenience init(
        store: any EventStore,
        httpClient: HTTPClient,
        settings: EventSettings,
        logger: Logger,
        metrics: EventMetrics,
        pollInterval: Duration = .seconds(1)
    ) {
        self.init(
            store: store,
            httpClient: httpClient,
            settings: settings,
            logger: logger,
            metrics: metrics,
            pollInterval: pollInterval,
            now: { Date() },
            retryPolicy: RetryPolicy(base: settings.backoffBase, cap: settings.backoffCap)
        )
    }

    /// Also takes the clock and the retry policy, so tests can move time and pin the jitter.
    init(
        store: any EventStore,
        httpClient: HTTPClient,
        settings: EventSettings,
        logger: Logger,
        metrics: EventMetrics,
        pollInterval: Duration,
        now: @escaping @Sendable () -> Date,
        wallClock: @escaping @Sendable () -> Date = { Date() },
        retryPolicy: RetryPolicy
    ) {
        self.store = store
        self.httpClient = httpClient
        self.settings = settings
        var logger = logger
        logger[metadataKey: "component"] = "events"
        self.logger = logger
        self.metrics = metrics
        self.pollInterval = pollInterval
        self.now = now
        self.wallClock = wallClock
        self.retryPolicy = retryPolicy
    }

    /// One pass: claims due events and posts them, up to ``concurrency`` at a time, batch after
    /// batch while batches come back full, then refreshes `events_pending`. Tests drive this
    /// directly with an injected clock.
    public func sendDue() async {
        for _ in 0..<Self.maxBatchesPerPass {
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            let current = now()
            let batch: [StoredEvent]
            do {
                batch = try await store.claimDue(
                    now: current,
                    limit: Self.concurrency,
                    claimUntil: current.addingTimeInterval(settings.claimLease.inSeconds)
                )
            } catch {
                logger.error("Cannot claim due events", metadata: ["events.storeError": "\(type(of: error))"])
                return
            }
            await withDiscardingTaskGroup { group in
                for event in batch {
                    group.addTask { await self.attempt(event) }
                }
            }
            if batch.count < Self.concurrency { break }
        }
        await refreshGauge()
    }

    /// Runs ``sendDue()`` every `pollInterval` until graceful shutdown, starting at once so events a
    /// crash or a restart left pending go out first. A pass under way finishes before it returns.
    public func run() async throws {
        logger.info(
            "Event sender started",
            metadata: ["events.host": "\(settings.url.host ?? "")", "events.pollInterval": "\(pollInterval)"]
        )
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            await sendDue()
            do {
                try await cancelWhenGracefulShutdown { [pollInterval] in try await Task.sleep(for: pollInterval) }
            } catch {
                break
            }
        }
        logger.info("Event sender stopped")
    }

    /// Sets `events_pending` from the store's counts; a failure leaves it as it was.
    func refreshGauge() async {
        do {
            metrics.pendingNow.record(try await store.counts()[.pending] ?? 0)
        } catch {
            logger.warning("Cannot count the events for their gauge", metadata: ["events.storeError": "\(type(of: error))"])
        }
    }
}
