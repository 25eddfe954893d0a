import AlvariaModels
import Foundation
import Logging
import Metrics
import MetricsTestKit
import ServiceLifecycle
import Testing

@testable import App

@Suite("The retention job")
struct RetentionServiceTests {
    /// Default settings (7-day retention) with the interval given.
    private func settings(interval: Duration = .seconds(3600)) async throws -> RetentionSettings {
        var settings = try await AppConfig.load(environment: [:]).retention
        settings.interval = interval
        return settings
    }

    private func withStore(_ body: (SQLiteOutboxStore) async throws -> Void) async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteOutboxStore.open(path: folder.appendingPathComponent("app.sqlite").path)
            try await body(store)
            try store.close()
        }
    }

    @Test("erases the values of outcomes delivered longer ago than the retention and keeps their metadata")
    func erasesExpiredValues() async throws {
        try await withStore { store in
            let clock = TestDateClock()
            let filled = try await FilledOutbox.fill(store, now: clock.now)
            let metrics = TestMetrics()
            let logs = CapturedLogs()
            let retention = RetentionService(
                store: store,
                settings: try await settings(),
                logger: logs.logger,
                metricsFactory: metrics,
                now: clock.function
            )

            #expect(try await retention.eraseExpiredValues() == 1)
            var erased = filled.oldDelivered
            erased.variables = nil
            #expect(try await store.entry(id: filled.oldDelivered.id) == erased, "only the values go; the metadata stays")
            for kept in [filled.recentDelivered, filled.failed, filled.queued] {
                #expect(try await store.entry(id: kept.id) == kept, "delivered within the retention, or not delivered")
            }
            #expect(try metrics.expectCounter("outbox_values_erased_total").totalValue == 1)

            let line = try #require(logs.lines.first { $0.metadata["outbox.erased"] != nil })
            #expect(line.level == .info)
            #expect(line.metadata["outbox.erased"] == "1")
            #expect(line.metadata["outbox.deliveredBefore"] == "2027-01-08T08:00:00Z")

            // Six days later the other delivered outcome is past the retention too; nothing is erased twice.
            clock.advance(by: 6 * 86_400 + 1)
            #expect(try await retention.eraseExpiredValues() == 1)
            #expect(try await store.entry(id: filled.recentDelivered.id)?.variables == nil)
            #expect(try await retention.eraseExpiredValues() == 0)
            #expect(try metrics.expectCounter("outbox_values_erased_total").totalValue == 2)
            #expect(try await store.entry(id: filled.queued.id)?.variables != nil, "a queued outcome keeps its values, however old")
            for line in logs.lines {
                #expect(!line.text.contains(FilledOutbox.privateValue))
            }
        }
    }

    @Test("runs a pass at start and then one every interval, until graceful shutdown")
    func runsEveryInterval() async throws {
        try await withStore { store in
            let clock = TestDateClock()
            let retention = RetentionService(
                store: store,
                settings: try await settings(interval: .milliseconds(20)),
                logger: quietLogger,
                metricsFactory: NOOPMetricsHandler.instance,
                now: clock.function
            )
            let first = try await deliveredLongAgo(store, "first-session", clock: clock)
            #expect(try await store.entry(id: first.id)?.variables != nil)
            let group = ServiceGroup(configuration: .init(services: [retention], logger: quietLogger))
            let running = Task { try await group.run() }

            try await waitUntil { try await store.entry(id: first.id)?.variables == nil }
            // Delivered after the first pass: only a later pass can erase it.
            let second = try await deliveredLongAgo(store, "second-session", clock: clock)
            try await waitUntil { try await store.entry(id: second.id)?.variables == nil }

            await group.triggerGracefulShutdown()
            try await expectFinishes(running)
        }
    }

    @Test("stops at once on graceful shutdown instead of waiting out the interval")
    func stopsPromptly() async throws {
        try await withStore { store in
            let clock = TestDateClock()
            let logs = CapturedLogs()
            let retention = RetentionService(
                store: store,
                settings: try await settings(),
                logger: logs.logger,
                metricsFactory: NOOPMetricsHandler.instance,
                now: clock.function
            )
            let group = ServiceGroup(configuration: .init(services: [retention], logger: quietLogger))
            let running = Task { try await group.run() }
            // The first pass is done (and the hour-long wait begun) once it has logged, its count or
            // its error. A pass is a few statements, but on a machine busy with builds the whole suite
            // has been seen to take tens of seconds to reach it: the bound is a minute, not 10 s.
            try await waitUntil(limit: .seconds(60)) {
                logs.lines.contains { $0.metadata["outbox.erased"] != nil || $0.metadata["outbox.storeError"] != nil }
            }
            #expect(!logs.lines.contains { $0.metadata["outbox.storeError"] != nil }, "\(logs.lines.map(\.text))")

            await group.triggerGracefulShutdown()
            // "At once" against the hour the interval would wait. A whole-suite run on a machine
            // busy with builds has taken over 10 s to schedule the stop (two cooperative threads
            // shared by every parallel test), so the bound is a minute: still sixty times shorter.
            try await expectFinishes(running, within: .seconds(60))
            #expect(logs.lines.last?.message == "Outbox retention stopped")
        }
    }

    @Test("deletes drafts not saved for drafts.retention, counts them, and logs how many only")
    func purgesDrafts() async throws {
        try await withStore { store in
            let clock = TestDateClock()
            let drafts = SQLiteDraftStore(database: store.database)
            let hours = { (count: Double) in clock.now.addingTimeInterval(-count * 3600) }
            #expect(try await drafts.saveDraft(sessionId: "old-draft-session", formId: "incident-report", sealed: [1], at: hours(30)))
            #expect(try await drafts.saveDraft(sessionId: "stale-draft-session", formId: "incident-report", sealed: [2], at: hours(25)))
            #expect(try await drafts.saveDraft(sessionId: "recent-draft-session", formId: "incident-report", sealed: [3], at: hours(23)))
            let metrics = TestMetrics()
            let logs = CapturedLogs()
            let retention = RetentionService(
                store: store,
                drafts: drafts,
                settings: try await settings(),
                draftRetention: try await AppConfig.load(environment: [:]).drafts.retention,
                logger: logs.logger,
                metricsFactory: metrics,
                now: clock.function
            )

            #expect(try await retention.purgeDrafts() == 2)
            #expect(try await drafts.draft(sessionId: "recent-draft-session") != nil, "saved within the day")
            #expect(try metrics.expectCounter("drafts_purged_total").totalValue == 2)
            let line = try #require(logs.lines.first { $0.metadata["drafts.deleted"] != nil })
            #expect(line.level == .info)
            #expect(line.metadata["drafts.deleted"] == "2")

            clock.advance(by: 2 * 3600)
            #expect(try await retention.purgeDrafts() == 1)
            #expect(try await retention.purgeDrafts() == 0)
            #expect(try metrics.expectCounter("drafts_purged_total").totalValue == 3)
            #expect(try await drafts.draftCount() == 0)
            for line in logs.lines {
                #expect(!line.text.contains("draft-session"), "no sessionId")
                #expect(!line.text.contains("incident-report"), "no form")
            }
        }
    }

    @Test("a pass of the running service purges drafts too, with drafts.retention as configured")
    func runningPurgesDrafts() async throws {
        try await withStore { store in
            let clock = TestDateClock()
            let drafts = SQLiteDraftStore(database: store.database)
            #expect(try await drafts.saveDraft(sessionId: "s-1", formId: "incident-report", sealed: [1], at: clock.now.addingTimeInterval(-3 * 3600)))
            #expect(try await drafts.saveDraft(sessionId: "s-2", formId: "incident-report", sealed: [2], at: clock.now.addingTimeInterval(-3600)))
            let retention = RetentionService(
                store: store,
                drafts: drafts,
                settings: try await settings(interval: .milliseconds(20)),
                draftRetention: try await AppConfig.load(environment: ["DRAFTS_RETENTION": "2h"]).drafts.retention,
                logger: quietLogger,
                metricsFactory: NOOPMetricsHandler.instance,
                now: clock.function
            )
            let group = ServiceGroup(configuration: .init(services: [retention], logger: quietLogger))
            let running = Task { try await group.run() }
            try await waitUntil { try await drafts.draftCount() == 1 }
            #expect(try await drafts.draft(sessionId: "s-2") != nil)
            await group.triggerGracefulShutdown()
            try await expectFinishes(running)
        }
    }

    @Test("erases files uploaded longer ago than files.retention, delivered or not, counts them, and logs how many and their size only")
    func purgesFiles() async throws {
        try await withStore { store in
            let clock = TestDateClock()
            let files = SQLiteFileStore(database: store.database)
            let vault = FileVault(store: files, secrets: FileVaultTests.secrets)
            let days = { (count: Double) in clock.now.addingTimeInterval(-count * 86400) }
            let put = { (bytes: Int, sessionId: String, at: Date) in
                try await vault.put(
                    [UInt8](repeating: 0x42, count: bytes),
                    mediaType: "image/jpeg",
                    sessionId: sessionId,
                    formId: "damage-photo",
                    field: "damagePhoto",
                    at: at
                )
            }
            let old = try await put(3_000, "old-file-session", days(9))
            _ = try await put(1_500_000, "stale-file-session", days(7.5))
            let recent = try await put(500, "recent-file-session", days(6))
            // The old file's outcome was delivered long ago: its file goes all the same, by its own age.
            _ = try await store.enqueue(newOutcome("old-file-session", createdAt: days(9)), claimedUntil: days(9)).storedEntry()
            let metrics = TestMetrics()
            let logs = CapturedLogs()
            let retention = RetentionService(
                store: store,
                files: files,
                settings: try await settings(),
                fileRetention: try await AppConfig.load(environment: [:]).files.retention,
                logger: logs.logger,
                metricsFactory: metrics,
                now: clock.function
            )

            #expect(try await retention.purgeFiles() == FileStats(count: 2, bytes: 1_503_000))
            #expect(try await files.file(id: old.id) == nil)
            #expect(try await files.file(id: recent.id) != nil, "uploaded within the week")
            #expect(try metrics.expectCounter("files_erased_total").totalValue == 2)
            let line = try #require(logs.lines.first { $0.metadata["files.erased"] != nil })
            #expect(line.level == .info)
            #expect(line.metadata["files.erased"] == "2")
            #expect(line.metadata["files.erasedBytes"] == "1503000")

            clock.advance(by: 1.5 * 86400)
            #expect(try await retention.purgeFiles() == FileStats(count: 1, bytes: 500))
            #expect(try await retention.purgeFiles() == FileStats(count: 0, bytes: 0))
            #expect(try metrics.expectCounter("files_erased_total").totalValue == 3)
            #expect(try await files.fileStats() == FileStats(count: 0, bytes: 0))
            for line in logs.lines {
                #expect(!line.text.contains("file-session"), "no sessionId")
                #expect(!line.text.contains("damage"), "no form nor field")
                #expect(!line.text.contains(old.id) && !line.text.contains(recent.id), "no file id")
                #expect(!line.text.contains("image/jpeg"), "no type")
            }
        }
    }

    @Test("a pass of the running service erases files too, with files.retention as configured")
    func runningPurgesFiles() async throws {
        try await withStore { store in
            let clock = TestDateClock()
            let files = SQLiteFileStore(database: store.database)
            try await files.saveFile(FileStoreContract.file("f-1", at: clock.now.addingTimeInterval(-3 * 3600)))
            try await files.saveFile(FileStoreContract.file("f-2", at: clock.now.addingTimeInterval(-3600)))
            let retention = RetentionService(
                store: store,
                files: files,
                settings: try await settings(interval: .milliseconds(20)),
                fileRetention: try await AppConfig.load(environment: ["FILES_RETENTION": "2h", "FILES_LINK_LIFETIME": "1h"]).files.retention,
                logger: quietLogger,
                metricsFactory: NOOPMetricsHandler.instance,
                now: clock.function
            )
            let group = ServiceGroup(configuration: .init(services: [retention], logger: quietLogger))
            let running = Task { try await group.run() }
            try await waitUntil { try await files.fileStats().count == 1 }
            #expect(try await files.file(id: "f-2") != nil)
            await group.triggerGracefulShutdown()
            try await expectFinishes(running)
        }
    }

    @Test("reads retention.interval: an hour by default, any duration, and a clear error when malformed")
    func intervalSetting() async throws {
        #expect(try await AppConfig.load(environment: [:]).retention.interval == .seconds(3600))
        #expect(try await AppConfig.load(environment: ["RETENTION_INTERVAL": "15m"]).retention.interval == .seconds(900))
        let error = await #expect(throws: ConfigurationError.self) {
            try await AppConfig.load(environment: ["RETENTION_INTERVAL": "soon"])
        }
        #expect(
            error?.description
                == #"configuration error: retention.interval (RETENTION_INTERVAL): "soon" is not valid; expected a duration like 500ms, 30s, 5m, 2h or 7d, at least 1.0 seconds"#
        )
    }

    // MARK: Helpers

    /// An outcome delivered 30 days before the clock's time.
    private func deliveredLongAgo(_ store: SQLiteOutboxStore, _ sessionId: String, clock: TestDateClock) async throws -> OutboxEntry {
        let long = clock.now.addingTimeInterval(-30 * 86_400)
        let entry = try await store.enqueue(newOutcome(sessionId, createdAt: long), claimedUntil: long).storedEntry()
        try await store.markDelivered(id: entry.id, at: long)
        return entry
    }
    /// Waits for `task`; past `limit` records an issue and cancels it, rather than hanging the suite.
    private func expectFinishes(
        _ task: Task<Void, any Error>,
        within limit: Duration = .seconds(10),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let watchdog = Task {
            try await Task.sleep(for: limit)
            Issue.record("did not finish within \(limit)", sourceLocation: sourceLocation)
            task.cancel()
        }
        defer { watchdog.cancel() }
        try await task.value
    }
}
