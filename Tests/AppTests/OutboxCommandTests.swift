import Foundation
import Testing

@testable import App

/// `disposable-app outbox …` as an operator runs it: the real binary on a real SQLite file, filled
/// through the store in the test.
@Suite("The outbox operator commands", .serialized)
struct OutboxCommandTests {
    /// One run of the binary: its exit code and everything it printed (stdout and stderr).
    private struct Run {
        let status: Int32
        let output: String
    }

    /// A temporary folder holding `data/app.sqlite`, created (empty, migrated) unless `create` is false.
    private struct Workspace {
        let directory: URL
        var databasePath: String { directory.appendingPathComponent("data/app.sqlite").path }

        init(create: Bool = true) throws {
            directory = try temporaryDirectory()
            if create { try SQLiteOutboxStore.open(path: databasePath).close() }
        }

        /// The store, for filling before and checking after a command.
        func withStore<Value>(_ body: (SQLiteOutboxStore) async throws -> Value) async throws -> Value {
            let store = try SQLiteOutboxStore.open(path: databasePath)
            defer { try? store.close() }
            return try await body(store)
        }

        func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Run {
            let app = try SpawnedApp.launch(
                arguments: ["outbox"] + arguments,
                environment: ["DATABASE_URL": "sqlite:\(databasePath)"].merging(environment) { $1 },
                directory: directory
            )
            let status = try await app.waitForExit(timeout: .seconds(30))
            return Run(status: status, output: app.log)
        }
    }

    /// A table row's cells, without the padding.
    private func words(_ row: String) -> [String] {
        row.split(separator: " ").map(String.init)
    }

    @Test("list on an empty outbox says so and shows zero counts")
    func listEmpty() async throws {
        let workspace = try Workspace()
        let run = try await workspace.run(["list"])
        #expect(run.status == 0)
        #expect(run.output == "no outbox entries\n\n0 queued, 0 failed, 0 delivered\n0 drafts in progress, 0 files (0 bytes)\n")
    }

    @Test("list shows every entry's metadata and the counts, never a value nor a whole sessionId, nor a file's name or content")
    func listFilled() async throws {
        let workspace = try Workspace()
        let filled = try await workspace.withStore { store in
            let drafts = SQLiteDraftStore(database: store.database)
            for sessionId in ["draft-session-0001", "draft-session-0002", "draft-session-0003"] {
                let box = Array("\(FilledOutbox.privateValue) sealed".utf8)
                #expect(try await drafts.saveDraft(sessionId: sessionId, formId: "incident-report", sealed: box, at: Date()))
            }
            let vault = FileVault(store: SQLiteFileStore(database: store.database), secrets: FileVaultTests.secrets)
            for (sessionId, size) in [("file-session-0001", 1_500_000), ("file-session-0002", 3_000_000), ("file-session-0002", 220_000)] {
                let content = Array("\(FilledOutbox.privateValue) photo".utf8)
                _ = try await vault.put(
                    content + [UInt8](repeating: 0xFF, count: size - content.count),
                    mediaType: "image/png",
                    sessionId: sessionId,
                    formId: "damage-photo",
                    field: "damagePhoto",
                    at: Date()
                )
            }
            return try await FilledOutbox.fill(store, now: Date())
        }
        let run = try await workspace.run(["list"])
        #expect(run.status == 0)
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ID  STATE      KIND       FORM            SESSION  ATTEMPTS  CREATED") == true)
        #expect(lines.count == 7, "\(run.output)")
        #expect(words(lines[1]).prefix(6) == ["\(filled.queued.id)", "queued", "submitted", "address-update", "queued…", "2"])
        #expect(lines[1].hasSuffix(FilledOutbox.retryReason))
        #expect(words(lines[2]).prefix(6) == ["\(filled.failed.id)", "failed", "submitted", "address-update", "failed…", "1"])
        #expect(lines[2].hasSuffix(FilledOutbox.failedReason))
        #expect(words(lines[3]).prefix(6) == ["\(filled.recentDelivered.id)", "delivered", "declined", "address-update", "recent…", "1"])
        #expect(words(lines[4]).prefix(6) == ["\(filled.oldDelivered.id)", "delivered", "submitted", "address-update", "old-de…", "1"])
        #expect(lines[5] == "1 queued, 1 failed, 2 delivered")
        #expect(lines[6] == "3 drafts in progress, 3 files (4.5 MB)")
        #expect(!run.output.contains(FilledOutbox.privateValue))
        #expect(!run.output.contains("draft-session"))
        #expect(!run.output.contains("file-session"))
        #expect(!run.output.contains("damage") && !run.output.contains("image/png"), "no form, field or type of a file")
        #expect(!run.output.contains("newStreet"), "not even the variable ids")
        #expect(!run.output.contains(FilledOutbox.sessions.oldDelivered))
    }

    @Test("list --state failed shows only the failed entries")
    func listFailed() async throws {
        let workspace = try Workspace()
        let filled = try await workspace.withStore { try await FilledOutbox.fill($0, now: Date()) }
        let run = try await workspace.run(["list", "--state", "failed", "--limit", "10"])
        #expect(run.status == 0)
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(run.output)")
        #expect(words(lines[1]).prefix(2) == ["\(filled.failed.id)", "failed"])
        #expect(lines[2] == "1 queued, 1 failed, 2 delivered")
        #expect(lines[3] == "0 drafts in progress, 0 files (0 bytes)")
    }

    @Test("retry of a failed entry puts it back in the queue, due at once")
    func retryFailed() async throws {
        let workspace = try Workspace()
        let filled = try await workspace.withStore { try await FilledOutbox.fill($0, now: Date()) }
        let before = Date()
        let run = try await workspace.run(["retry", "\(filled.failed.id)"])
        #expect(run.status == 0)
        #expect(run.output == "outbox entry \(filled.failed.id) queued for delivery\n")
        let entry = try #require(try await workspace.withStore { try await $0.entry(id: filled.failed.id) })
        #expect(entry.state == .queued)
        #expect(entry.claimedUntil == nil)
        let due = try #require(entry.nextAttemptAt)
        #expect(due >= before.addingTimeInterval(-1) && due <= Date())
        #expect(entry.lastError == FilledOutbox.failedReason, "the last reason stays until the next attempt")
    }

    @Test("retry of an unknown or delivered entry fails with exit code 1 and says why")
    func retryRefused() async throws {
        let workspace = try Workspace()
        let filled = try await workspace.withStore { try await FilledOutbox.fill($0, now: Date()) }
        let unknown = try await workspace.run(["retry", "999"])
        #expect(unknown.status == 1)
        #expect(unknown.output == "error: no outbox entry 999\n")

        let delivered = try await workspace.run(["retry", "\(filled.recentDelivered.id)"])
        #expect(delivered.status == 1)
        #expect(delivered.output.hasPrefix("error: outbox entry \(filled.recentDelivered.id) was delivered at "))
        #expect(try await workspace.withStore { try await $0.entry(id: filled.recentDelivered.id) } == filled.recentDelivered)
    }

    @Test("purge deletes only the outcomes delivered before the cut-off")
    func purge() async throws {
        let workspace = try Workspace()
        let filled = try await workspace.withStore { try await FilledOutbox.fill($0, now: Date()) }
        let run = try await workspace.run(["purge", "--delivered-before", "7d"])
        #expect(run.status == 0)
        #expect(run.output.firstMatch(of: /^purged 1 delivered outcome delivered before \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/) != nil, "\(run.output)")
        try await workspace.withStore { store async throws -> Void in
            #expect(try await store.entry(id: filled.oldDelivered.id) == nil)
            for kept in [filled.recentDelivered, filled.failed, filled.queued] {
                #expect(try await store.entry(id: kept.id) == kept)
            }
        }
    }

    @Test("purge with a malformed or unit-less duration is a usage error that deletes nothing", arguments: ["7x", "7", "-7d"])
    func purgeBadDuration(duration: String) async throws {
        let workspace = try Workspace()
        _ = try await workspace.withStore { try await FilledOutbox.fill($0, now: Date()) }
        let run = try await workspace.run(["purge", "--delivered-before=\(duration)"])
        #expect(run.status == 64)  // EX_USAGE, ArgumentParser's code for a validation error
        #expect(
            run.output.contains(
                "Error: The value '\(duration)' is invalid for '--delivered-before <duration>': expected a duration with its unit, like 30m, 12h or 7d"
            ),
            "\(run.output)"
        )
        #expect(try await workspace.withStore { try await $0.counts() } == [.queued: 1, .failed: 1, .delivered: 2])
    }

    @Test("a bad configuration stops the command with serve's configuration error lines and exit code 78")
    func badConfiguration() async throws {
        let workspace = try Workspace()
        let run = try await workspace.run(["list"], environment: ["ALVARIA_MODE": "live", "RETENTION_INTERVAL": "soon"])
        #expect(run.status == 78)
        #expect(
            run.output.contains("configuration error: alvaria.clientSecret (ALVARIA_CLIENT_SECRET): is missing; required when alvaria.mode is live")
        )
        #expect(run.output.contains(#"configuration error: retention.interval (RETENTION_INTERVAL): "soon" is not valid"#))
        #expect(!run.output.contains("ID  STATE"))
    }

    @Test("a database that does not exist is reported with exit code 78, not created empty")
    func missingDatabase() async throws {
        let workspace = try Workspace(create: false)
        let run = try await workspace.run(["list"])
        #expect(run.status == 78)
        #expect(run.output.contains("start-up error: database \(workspace.databasePath): does not exist: check database.url"))
        #expect(!FileManager.default.fileExists(atPath: workspace.databasePath))
    }
}
