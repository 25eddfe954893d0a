public import Foundation
public import Logging
public import Metrics
public import ServiceLifecycle

/// Erases the values of delivered outcomes once they are older than `retention.deliveredValues`
/// (7 days by default): outcome values are personal data, and once Alvaria has them the outbox
/// only needs the metadata (which form, which session, when, how many attempts).
///
/// A `Service` for the application's `ServiceGroup`: one pass at start, then one every
/// `retention.interval` (1 h by default), until graceful shutdown. A pass is one store call
/// (``OutboxStore/eraseDeliveredValues(before:)``), idempotent, so several instances sharing a
/// database may all run it. Logs how many were erased, never what; counts them in
/// `outbox_values_erased_total`.
///
/// The same pass deletes sessions' verification and expiry state older than
/// `retention.sessionStates` (30 days by default), longer than any form's `expiresAfter`: a
/// forgotten first opening would let an expired link work again.
public struct RetentionService: Service {
    let store: any OutboxStore
    let sessions: (any SessionStateStore)?
    let retainValues: Duration
    let retainSessionStates: Duration
    let interval: Duration
    let logger: Logger
    let now: @Sendable () -> Date
    let erased: Counter

    /// - Parameters:
    ///   - settings: `retention.*` (tests shorten the interval there).
    ///   - now: the clock a pass measures the retention against.
    public init(
        store: any OutboxStore,
        sessions: (any SessionStateStore)? = nil,
        settings: RetentionSettings,
        logger: Logger,
        metricsFactory: any MetricsFactory,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.sessions = sessions
        self.retainValues = settings.deliveredValues
        self.retainSessionStates = settings.sessionStates
        self.interval = settings.interval
        var logger = logger
        logger[metadataKey: "component"] = "retention"
        self.logger = logger
        self.now = now
        self.erased = Counter(label: "outbox_values_erased_total", factory: metricsFactory)
    }

    /// One pass: erases the values of outcomes delivered before now minus the retention; returns
    /// how many. Store errors are thrown (``run()`` logs them and tries again next interval).
    @discardableResult
    public func eraseExpiredValues() async throws -> Int {
        let before = now().addingTimeInterval(-retainValues.inSeconds)
        let count = try await store.eraseDeliveredValues(before: before)
        erased.increment(by: count)
        let metadata: Logger.Metadata = [
            "outbox.erased": "\(count)",
            "outbox.deliveredBefore": "\(before.formatted(.iso8601))",
        ]
        if count > 0 {
            logger.info("Erased the values of delivered outcomes past their retention", metadata: metadata)
        } else {
            logger.debug("No delivered outcome values past their retention", metadata: metadata)
        }
        return count
    }

    /// Deletes session state created before now minus `retention.sessionStates`; returns how many.
    @discardableResult
    public func purgeSessionStates() async throws -> Int {
        guard let sessions else { return 0 }
        let count = try await sessions.purgeStates(createdBefore: now().addingTimeInterval(-retainSessionStates.inSeconds))
        if count > 0 { logger.info("Deleted session state past its retention", metadata: ["sessions.deleted": "\(count)"]) }
        return count
    }

    /// Runs ``eraseExpiredValues()`` and ``purgeSessionStates()`` at once, then every `interval`, until graceful shutdown (a pass
    /// under way finishes first: it is one statement).
    public func run() async throws {
        logger.info(
            "Outbox retention started",
            metadata: ["outbox.retainValues": "\(Deliverer.describe(retainValues))", "outbox.retentionInterval": "\(Deliverer.describe(interval))"]
        )
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await eraseExpiredValues()
                try await purgeSessionStates()
            } catch {
                logger.error(
                    "Cannot erase the values of delivered outcomes or old session state; will try again",
                    metadata: ["outbox.storeError": "\(error)", "outbox.retryIn": "\(Deliverer.describe(interval))"]
                )
            }
            do {
                try await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
            } catch {
                break
            }
        }
        logger.info("Outbox retention stopped")
    }
}
