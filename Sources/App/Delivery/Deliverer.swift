public import Foundation
public import Logging
public import Metrics
public import ServiceLifecycle

/// Posts stored outcomes to CX: the submit path's first attempt, and a background loop that
/// retries the rest with backoff until Alvaria takes them, refuses them (400, 404), or they
/// grow older than `delivery.maxAge`.
///
/// A `Service` for the application's `ServiceGroup`. Put it after the HTTP client's service
/// (services stop in reverse order, and the deliverer still needs the client while it drains)
/// and before the HTTP server stops taking submits. On graceful shutdown it starts no new
/// batch, but lets in-flight attempts, submit continuations included, finish.
///
/// Every attempt holds a claim on its entry (`delivery.claimLease`), so two deliverers, or a submit and
/// the loop, never post the same outcome at once. Delivery is still at least once: a crash
/// between Alvaria's 204 and `markDelivered` posts the outcome again once the claim expires.
///
/// Metrics (``DeliveryMetrics``) go to the factory it is given: the app's own registry, never
/// the process-wide `MetricsSystem`.
public final class Deliverer: Service, Sendable {
    /// What the submit path tells the person.
    public enum ImmediateResult: Sendable, Equatable {
        /// Alvaria has it.
        case delivered
        /// Alvaria refused it for good (400, 404), or it could not be sent at all; `dialogEnded`
        /// when Alvaria answered 404 (the person's link has expired: the 410 page).
        case failed(reason: String, dialogEnded: Bool)
        /// Stored and still being delivered (in the background, or after a backoff).
        case pending

        /// Alvaria answered 404: the dialog is gone, so the person's link has expired (410 page).
        public var dialogEnded: Bool {
            guard case .failed(_, let dialogEnded) = self else { return false }
            return dialogEnded
        }
    }

    /// How long an attempt may hold its entry (`delivery.claimLease`, 60 s by default): well above
    /// a request timeout plus a token fetch, so a claim never expires under a live attempt, and
    /// short enough that a crash delays an outcome by about a minute.
    public var claimLease: Duration { settings.claimLease }
    /// Attempts in flight per pass; also the batch size, so nothing is claimed before it can be worked on.
    static let concurrency = 8
    /// Batches per pass before yielding to the next tick (an outage backlog drains over several ticks).
    static let maxBatchesPerPass = 16

    let store: any OutboxStore
    let poster: any OutcomePoster
    let settings: DeliverySettings
    let logger: Logger
    let pollInterval: Duration
    let now: @Sendable () -> Date
    let retryPolicy: RetryPolicy
    let metrics: DeliveryMetrics
    /// outcome.delivered and outcome.failed go to the live event feed through this (``EventRecorder/off`` when it is off).
    let events: EventRecorder
    let background = BackgroundTasks()

    public convenience init(
        store: any OutboxStore,
        poster: any OutcomePoster,
        settings: DeliverySettings,
        logger: Logger,
        pollInterval: Duration = .seconds(1),
        now: @escaping @Sendable () -> Date = { Date() },
        metricsFactory: any MetricsFactory,
        events: EventRecorder = .off
    ) {
        self.init(
            store: store,
            poster: poster,
            settings: settings,
            logger: logger,
            pollInterval: pollInterval,
            now: now,
            retryPolicy: RetryPolicy(settings: settings),
            metricsFactory: metricsFactory,
            events: events
        )
    }

    /// Also takes the retry policy, so tests can pin the jitter.
    init(
        store: any OutboxStore,
        poster: any OutcomePoster,
        settings: DeliverySettings,
        logger: Logger,
        pollInterval: Duration,
        now: @escaping @Sendable () -> Date,
        retryPolicy: RetryPolicy,
        metricsFactory: any MetricsFactory,
        events: EventRecorder = .off
    ) {
        self.store = store
        self.poster = poster
        self.settings = settings
        var logger = logger
        logger[metadataKey: "component"] = "deliverer"
        self.logger = logger
        self.pollInterval = pollInterval
        self.now = now
        self.retryPolicy = retryPolicy
        self.metrics = DeliveryMetrics(factory: metricsFactory)
        self.events = events
    }

    /// The submit path's first attempt: posts the freshly enqueued (claimed) entry, waiting at
    /// most `budget`. Past the budget the attempt CARRIES ON in the background (not cancelled,
    /// not even when the caller is) and `.pending` is returned; ``run()`` waits for it at shutdown.
    /// 204 → delivered; 400/404 → failed with the reason kept; anything else → retried later.
    public func deliverNow(_ entry: OutboxEntry, budget: Duration, logger: Logger) async -> ImmediateResult {
        let (results, continuation) = AsyncStream.makeStream(of: ImmediateResult.self, bufferingPolicy: .bufferingNewest(1))
        background.start { [self] in
            continuation.yield(await attempt(entry, logger: logger))
            continuation.finish()
        }
        return await withTaskGroup(of: ImmediateResult?.self) { group in
            // Waiting on the stream (not on the task) is what can be abandoned: cancelling the
            // waiter ends the wait, never the attempt.
            group.addTask { await results.first { _ in true } }
            group.addTask {
                try? await Task.sleep(for: budget)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .pending
        }
    }

    /// One pass of the background loop: claims due entries and delivers them, up to
    /// ``concurrency`` at a time, batch after batch while batches come back full, then refreshes
    /// the `outbox_queued` and `outbox_failed` gauges. Tests drive this directly with an injected `now`.
    public func deliverDue() async {
        for _ in 0..<Self.maxBatchesPerPass {
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            let current = now()
            let batch: [OutboxEntry]
            do {
                batch = try await store.claimDue(
                    now: current,
                    limit: Self.concurrency,
                    claimUntil: current.addingTimeInterval(claimLease.inSeconds)
                )
            } catch {
                logger.error("Cannot claim due outcomes", metadata: ["outbox.storeError": "\(error)"])
                return
            }
            await withDiscardingTaskGroup { group in
                for entry in batch {
                    group.addTask { _ = await self.attempt(entry, logger: self.logger) }
                }
            }
            if batch.count < Self.concurrency { break }
        }
        await refreshGauges()
    }

    /// Runs ``deliverDue()`` every `pollInterval` until graceful shutdown, starting at once so
    /// entries a crash left queued (their claims expired) go out first. Returns once in-flight
    /// attempts, submit continuations included, have finished; a hard cancellation cancels them.
    public func run() async throws {
        logger.info("Outbox deliverer started", metadata: ["outbox.pollInterval": "\(pollInterval)"])
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            await deliverDue()
            do {
                try await cancelWhenGracefulShutdown { [pollInterval] in try await Task.sleep(for: pollInterval) }
            } catch {
                break
            }
        }
        let waiting = background.count
        if waiting > 0 {
            logger.info("Outbox deliverer waiting for attempts in flight", metadata: ["outbox.inFlight": "\(waiting)"])
        }
        await withTaskCancellationHandler {
            await background.waitForAll()
        } onCancel: {
            background.cancelAll()
        }
        logger.info("Outbox deliverer stopped")
    }

    /// Returns once every background continuation of ``deliverNow(_:budget:logger:)`` has ended.
    func waitForBackgroundWork() async {
        await background.waitForAll()
    }
}
