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
///
/// And it deletes multi-step forms' drafts not saved for `drafts.retention` (24 hours by default):
/// a form left half-filled keeps nobody's answers longer than that. Counted in `drafts_purged_total`.
///
/// And it erases uploaded files older than `files.retention` (7 days by default), whether or not
/// their outcome was delivered: a link to one then answers 410. Counted in `files_erased_total`;
/// logged as a count and a size only, never a file's name, session or content.
///
/// And it deletes the live event feed's delivered and given-up events finished more than
/// `events.retention` ago (7 days by default), feed on or off. Counted in `events_purged_total`.
///
/// And it deletes the funnel's marks older than `retention.funnel` (90 days by default).
public struct RetentionService: Service {
    let store: any OutboxStore
    let sessions: (any SessionStateStore)?
    let drafts: (any DraftStore)?
    let files: (any FileStore)?
    let funnel: (any FunnelStore)?
    let events: (any EventStore)?
    let retainValues: Duration
    let retainSessionStates: Duration
    let retainDrafts: Duration
    let retainFiles: Duration
    let retainFunnel: Duration
    let retainEvents: Duration
    let interval: Duration
    let logger: Logger
    let now: @Sendable () -> Date
    let erased: Counter
    let draftsPurged: Counter
    let filesErased: Counter
    let eventsPurged: Counter

    /// - Parameters:
    ///   - settings: `retention.*` (tests shorten the interval there).
    ///   - draftRetention: `drafts.retention`.
    ///   - fileRetention: `files.retention`.
    ///   - eventRetention: `events.retention`.
    ///   - now: the clock a pass measures the retention against.
    public init(
        store: any OutboxStore,
        sessions: (any SessionStateStore)? = nil,
        drafts: (any DraftStore)? = nil,
        files: (any FileStore)? = nil,
        funnel: (any FunnelStore)? = nil,
        events: (any EventStore)? = nil,
        settings: RetentionSettings,
        draftRetention: Duration = DraftSettings.defaultRetention,
        fileRetention: Duration = FileSettings.defaultRetention,
        eventRetention: Duration = EventSettings.defaultRetention,
        logger: Logger,
        metricsFactory: any MetricsFactory,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.sessions = sessions
        self.drafts = drafts
        self.files = files
        self.funnel = funnel
        self.events = events
        self.retainValues = settings.deliveredValues
        self.retainSessionStates = settings.sessionStates
        self.retainDrafts = draftRetention
        self.retainFiles = fileRetention
        self.retainFunnel = settings.funnel
        self.retainEvents = eventRetention
        self.interval = settings.interval
        var logger = logger
        logger[metadataKey: "component"] = "retention"
        self.logger = logger
        self.now = now
        self.erased = Counter(label: "outbox_values_erased_total", factory: metricsFactory)
        self.draftsPurged = Counter(label: "drafts_purged_total", factory: metricsFactory)
        self.filesErased = Counter(label: "files_erased_total", factory: metricsFactory)
        self.eventsPurged = Counter(label: "events_purged_total", factory: metricsFactory)
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

    /// Deletes drafts last saved before now minus `drafts.retention`; returns how many. Logs the
    /// count only: a draft's form, session and answers stay out of the logs.
    @discardableResult
    public func purgeDrafts() async throws -> Int {
        guard let drafts else { return 0 }
        let count = try await drafts.purgeDrafts(updatedBefore: now().addingTimeInterval(-retainDrafts.inSeconds))
        draftsPurged.increment(by: count)
        if count > 0 { logger.info("Deleted drafts past their retention", metadata: ["drafts.deleted": "\(count)"]) }
        return count
    }

    /// Erases files uploaded before now minus `files.retention`; returns how many and their size.
    /// Logs the count and the bytes only: a file's name, session and content stay out of the logs.
    @discardableResult
    public func purgeFiles() async throws -> FileStats {
        guard let files else { return FileStats(count: 0, bytes: 0) }
        let erased = try await files.purgeFiles(createdBefore: now().addingTimeInterval(-retainFiles.inSeconds))
        filesErased.increment(by: erased.count)
        if erased.count > 0 {
            logger.info(
                "Erased uploaded files past their retention",
                metadata: ["files.erased": "\(erased.count)", "files.erasedBytes": "\(erased.bytes)"]
            )
        }
        return erased
    }

    /// Deletes funnel marks made before now minus `retention.funnel`; returns how many.
    @discardableResult
    public func purgeFunnel() async throws -> Int {
        guard let funnel else { return 0 }
        let count = try await funnel.purgeMarks(before: now().addingTimeInterval(-retainFunnel.inSeconds))
        if count > 0 { logger.info("Deleted funnel marks past their retention", metadata: ["funnel.deleted": "\(count)"]) }
        return count
    }

    /// Deletes delivered and given-up events finished before now minus `events.retention`; returns
    /// how many. Logs the count only.
    @discardableResult
    public func purgeEvents() async throws -> Int {
        guard let events else { return 0 }
        let count = try await events.purgeFinished(before: now().addingTimeInterval(-retainEvents.inSeconds))
        eventsPurged.increment(by: count)
        if count > 0 { logger.info("Deleted sent events past their retention", metadata: ["events.deleted": "\(count)"]) }
        return count
    }

    /// Runs ``eraseExpiredValues()``, ``purgeSessionStates()``, ``purgeDrafts()``, ``purgeFiles()``, ``purgeEvents()`` and ``purgeFunnel()`` at once, then every
    /// `interval`, until graceful shutdown (a pass under way finishes first: each step is one statement).
    public func run() async throws {
        logger.info(
            "Outbox retention started",
            metadata: ["outbox.retainValues": "\(Deliverer.describe(retainValues))", "outbox.retentionInterval": "\(Deliverer.describe(interval))"]
        )
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await eraseExpiredValues()
                try await purgeSessionStates()
                try await purgeDrafts()
                try await purgeFiles()
                try await purgeEvents()
                try await purgeFunnel()
            } catch {
                logger.error(
                    "Cannot erase the values of delivered outcomes, old session state, old drafts, old files, old events or old funnel marks; will try again",
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
