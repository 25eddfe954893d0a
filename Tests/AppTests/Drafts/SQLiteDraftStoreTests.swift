import Foundation
import GRDB
import Testing

@testable import App

@Suite("The SQLite draft store, on real files")
struct SQLiteDraftStoreTests {
    @Test("meets the draft store contract", arguments: DraftStoreContract.checks)
    func contract(_ check: DraftStoreContract.Check) async throws {
        try await withTemporaryFolder { folder in
            let contract = DraftStoreContract {
                let database = try SQLiteDatabase.open(path: folder.appendingPathComponent("\(UUID().uuidString).sqlite").path)
                return .init(
                    drafts: SQLiteDraftStore(database: database),
                    outbox: SQLiteOutboxStore(database: database),
                    sessions: SQLiteSessionStateStore(database: database)
                )
            }
            try await check.run(contract)
        }
    }

    @Test("is opened with the outbox, on its file: an outcome stored there ends the draft")
    func openedWithTheOutbox() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("app.sqlite").path
            let settings = try await AppConfig.load(environment: ["DATABASE_URL": "sqlite:\(path)"]).database
            let opened = try OutboxStores.open(settings, logger: quietLogger)
            #expect(try await opened.drafts.saveDraft(sessionId: "s-1", formId: "incident-report", sealed: [1, 2, 3], at: TestDateClock.start))
            _ = try await opened.store.enqueue(newOutcome("s-1"), claimedUntil: TestDateClock.start).storedEntry()
            #expect(try await opened.drafts.draftCount() == 0)
        }
    }

    @Test("no answer is in clear in the database file or its write-ahead log; a box written in clear would be")
    func nothingInClearAtRest() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("app.sqlite").path
            let database = try SQLiteDatabase.open(path: path)
            let drafts = SQLiteDraftStore(database: database)
            let sealer = Sealer(secrets: SecretKeys(current: Array("drafts-secret-0123456789-0123456789-abcdef".utf8)), purpose: "drafts")
            let marker = "DRAFT-MARKER-\(UUID().uuidString)"
            let clearMarker = "CLEAR-MARKER-\(UUID().uuidString)"
            let draft = Draft(
                formId: "incident-report",
                values: ["street": ["\(marker) 1 Main St"], "notes": [marker]],
                completedSteps: ["incident"]
            )
            // Saved twice (a step, then an autosave): every version of the row is a box.
            #expect(
                try await drafts.saveDraft(
                    sessionId: "s-1",
                    formId: "incident-report",
                    sealed: sealer.seal(draft, sessionId: "s-1"),
                    at: TestDateClock.start
                )
            )
            var changed = draft
            changed.values["phone"] = ["\(marker) 555"]
            #expect(
                try await drafts.saveDraft(
                    sessionId: "s-1",
                    formId: "incident-report",
                    sealed: sealer.seal(changed, sessionId: "s-1"),
                    at: TestDateClock.start.addingTimeInterval(1)
                )
            )
            // The control: the same check finds a value a store did write in clear.
            #expect(try await drafts.saveDraft(sessionId: "s-2", formId: "incident-report", sealed: Array(clearMarker.utf8), at: TestDateClock.start))

            let stored = try #require(try await drafts.draft(sessionId: "s-1"))
            #expect(sealer.openDraft(stored.sealed, sessionId: "s-1") == changed, "the box opens to what was saved")
            let bytes = try Self.fileBytes(path)
            #expect(bytes.range(of: Data(marker.utf8)) == nil, "an answer is on disk in clear")
            #expect(bytes.range(of: Data(clearMarker.utf8)) != nil, "the check cannot see what it looks for")
            #expect(FileManager.default.fileExists(atPath: path + "-wal"), "the write-ahead log was checked too")
            try database.close()
        }
    }

    @Test("a draft left behind its outcome is never handed out, and the outcome's replay deletes it")
    func draftBehindOutcome() async throws {
        try await withTemporaryFolder { folder in
            let database = try SQLiteDatabase.open(path: folder.appendingPathComponent("app.sqlite").path)
            let drafts = SQLiteDraftStore(database: database)
            let outbox = SQLiteOutboxStore(database: database)
            _ = try await outbox.enqueue(newOutcome("s-1"), claimedUntil: TestDateClock.start).storedEntry()
            // What a save racing the outcome on PostgreSQL can leave; SQLite's one writer never does.
            try await database.pool.write { db in
                try db.execute(
                    sql: "INSERT INTO drafts (session_id, form_id, sealed, created_at, updated_at) VALUES ('s-1', 'incident-report', X'0102', 1, 1)"
                )
            }
            #expect(try await drafts.draftCount() == 1)
            #expect(try await drafts.draft(sessionId: "s-1") == nil)
            #expect(try await outbox.enqueue(newOutcome("s-1"), claimedUntil: TestDateClock.start) == .alreadyConsumed)
            #expect(try await drafts.draftCount() == 0)
            try database.close()
        }
    }

    @Test("stores times as milliseconds and the box as a blob; a row that is not a draft is an error naming the column")
    func onDiskFormat() async throws {
        try await withTemporaryFolder { folder in
            let database = try SQLiteDatabase.open(path: folder.appendingPathComponent("app.sqlite").path)
            let drafts = SQLiteDraftStore(database: database)
            #expect(
                try await drafts.saveDraft(
                    sessionId: "s-1",
                    formId: "incident-report",
                    sealed: [0, 1, 2],
                    at: TestDateClock.start.addingTimeInterval(0.25)
                )
            )
            let (type, created, updated) = try await database.pool.read { db in
                let row = try #require(try Row.fetchOne(db, sql: "SELECT typeof(sealed) AS type, created_at, updated_at FROM drafts"))
                return (row["type"] as String?, row["created_at"] as Int64?, row["updated_at"] as Int64?)
            }
            #expect(type == "blob")
            #expect(created == 1_800_000_000_250)
            #expect(updated == 1_800_000_000_250)

            try await database.pool.write { db in try db.execute(sql: "UPDATE drafts SET sealed = 'text, not a box'") }
            await #expect(throws: OutboxStoreError.unreadableDraft(reason: "column sealed is missing or not a blob")) {
                try await drafts.draft(sessionId: "s-1")
            }
            try database.close()
        }
    }

    @Test("keeps drafts across closing and reopening the file, and purges them with the retention")
    func survivesReopening() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("app.sqlite").path
            let first = try SQLiteDatabase.open(path: path)
            #expect(
                try await SQLiteDraftStore(database: first).saveDraft(
                    sessionId: "s-1",
                    formId: "incident-report",
                    sealed: [9],
                    at: TestDateClock.start
                )
            )
            try first.close()

            let reopened = try SQLiteDatabase.open(path: path)
            let drafts = SQLiteDraftStore(database: reopened)
            #expect(try await drafts.draft(sessionId: "s-1")?.sealed == [9])
            #expect(try await drafts.purgeDrafts(updatedBefore: TestDateClock.start.addingTimeInterval(1)) == 1)
            #expect(try await drafts.draftCount() == 0)
            try reopened.close()
        }
    }

    @Test("upgrades a file an earlier version wrote: the drafts table comes, the outbox stays")
    func upgradesEarlierFile() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("app.sqlite").path
            let earlier = try DatabasePool(path: path)
            try SQLiteDatabase.migrator.migrate(earlier, upTo: "v5-session-state")
            try await earlier.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO outbox (session_id, form_id, kind, variables, state, attempts, created_at, next_attempt_at)
                        VALUES ('s-1', 'address-update', 'submitted', '[]', 'queued', 0, 1000, 1000)
                        """
                )
            }
            try earlier.close()

            let database = try SQLiteDatabase.open(path: path)
            let drafts = SQLiteDraftStore(database: database)
            #expect(try await drafts.saveDraft(sessionId: "s-1", formId: "address-update", sealed: [1], at: TestDateClock.start) == false)
            #expect(try await drafts.saveDraft(sessionId: "s-2", formId: "address-update", sealed: [1], at: TestDateClock.start))
            #expect(try await SQLiteOutboxStore(database: database).isConsumed(sessionId: "s-1"))
            try database.close()
        }
    }

    /// The database file and its write-ahead log, as a thief of the disk would read them.
    static func fileBytes(_ path: String) throws -> Data {
        var bytes = Data()
        for file in [path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
            bytes.append(try Data(contentsOf: URL(fileURLWithPath: file)))
        }
        return bytes
    }
}
