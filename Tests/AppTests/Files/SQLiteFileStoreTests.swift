import Foundation
import GRDB
import Testing

@testable import App

@Suite("The SQLite file store, on real files")
struct SQLiteFileStoreTests {
    @Test("meets the file store contract", arguments: FileStoreContract.checks)
    func contract(_ check: FileStoreContract.Check) async throws {
        try await withTemporaryFolder { folder in
            let contract = FileStoreContract {
                let database = try SQLiteDatabase.open(path: folder.appendingPathComponent("\(UUID().uuidString).sqlite").path)
                return .init(files: SQLiteFileStore(database: database), outbox: SQLiteOutboxStore(database: database))
            }
            try await check.run(contract)
        }
    }

    @Test("is opened with the outbox, on its file: an outcome stored there leaves the session's files")
    func openedWithTheOutbox() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("app.sqlite").path
            let settings = try await AppConfig.load(environment: ["DATABASE_URL": "sqlite:\(path)"]).database
            let opened = try OutboxStores.open(settings, logger: quietLogger)
            try await opened.files.saveFile(FileStoreContract.file("f-1", at: TestDateClock.start))
            _ = try await opened.store.enqueue(newOutcome("s-1"), claimedUntil: TestDateClock.start).storedEntry()
            #expect(try await opened.files.files(sessionId: "s-1").map(\.id) == ["f-1"])
            #expect(try await opened.files.fileStats() == FileStats(count: 1, bytes: 100))
        }
    }

    @Test("no file content is in clear in the database file or its write-ahead log; a box written in clear would be")
    func nothingInClearAtRest() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("app.sqlite").path
            let database = try SQLiteDatabase.open(path: path)
            let files = SQLiteFileStore(database: database)
            let vault = FileVault(store: files, secrets: FileVaultTests.secrets)
            let marker = Array("FILE-MARKER-\(UUID().uuidString)".utf8)
            let clearMarker = Array("CLEAR-MARKER-\(UUID().uuidString)".utf8)
            // A photo's worth of bytes with the marker at its start, in its middle and at its end.
            let content = marker + FileVaultTests.randomBytes(300_000) + marker + FileVaultTests.randomBytes(300_000) + marker
            let stored = try await vault.put(
                content,
                mediaType: "image/jpeg",
                sessionId: "s-1",
                formId: "damage-photo",
                field: "damagePhoto",
                at: TestDateClock.start
            )
            // The control: the same check finds content a store did write in clear.
            try await files.saveFile(FileStoreContract.file("clear", session: "s-2", at: TestDateClock.start, box: clearMarker))

            guard case .found(let file, let bytes) = try await vault.open(id: stored.id) else {
                Issue.record("the stored file does not open")
                return
            }
            #expect(file == stored)
            #expect(bytes == content, "the box opens to what was put")
            let onDisk = try SQLiteDraftStoreTests.fileBytes(path)
            #expect(onDisk.range(of: Data(marker)) == nil, "a file's content is on disk in clear")
            #expect(onDisk.range(of: Data(clearMarker)) != nil, "the check cannot see what it looks for")
            #expect(FileManager.default.fileExists(atPath: path + "-wal"), "the write-ahead log was checked too")
            try database.close()
        }
    }

    @Test("an erased file leaves neither its box nor its metadata in the file or its write-ahead log")
    func erasedLeavesNothing() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("app.sqlite").path
            let database = try SQLiteDatabase.open(path: path)
            let files = SQLiteFileStore(database: database)
            let box = Array("BOX-MARKER-\(UUID().uuidString)".utf8)
            try await files.saveFile(FileStoreContract.file("erased-file-id", at: TestDateClock.start, box: box))
            #expect(try SQLiteDraftStoreTests.fileBytes(path).range(of: Data(box)) != nil, "the check sees the box while it is kept")
            #expect(try await files.purgeFiles(createdBefore: TestDateClock.start.addingTimeInterval(1)) == FileStats(count: 1, bytes: 100))
            let onDisk = try SQLiteDraftStoreTests.fileBytes(path)
            #expect(onDisk.range(of: Data(box)) == nil)
            #expect(onDisk.range(of: Data("erased-file-id".utf8)) == nil)
            try database.close()
        }
    }

    @Test("stores times as milliseconds, the size as an integer and the box as a blob; a row that is not a file is an error naming the column")
    func onDiskFormat() async throws {
        try await withTemporaryFolder { folder in
            let database = try SQLiteDatabase.open(path: folder.appendingPathComponent("app.sqlite").path)
            let files = SQLiteFileStore(database: database)
            try await files.saveFile(FileStoreContract.file("f-1", size: 4_096, at: TestDateClock.start.addingTimeInterval(0.25), box: [0, 1, 2]))
            let (type, size, created) = try await database.pool.read { db in
                let row = try #require(try Row.fetchOne(db, sql: "SELECT typeof(sealed) AS type, size, created_at FROM files"))
                return (row["type"] as String?, row["size"] as Int64?, row["created_at"] as Int64?)
            }
            #expect(type == "blob")
            #expect(size == 4_096)
            #expect(created == 1_800_000_000_250)

            try await database.pool.write { db in try db.execute(sql: "UPDATE files SET sealed = 'text, not a box'") }
            await #expect(throws: OutboxStoreError.unreadableFile(reason: "column sealed is missing or not a blob")) {
                try await files.file(id: "f-1")
            }
            await #expect(throws: OutboxStoreError.unreadableFile(reason: "column sealed is missing or not a blob")) {
                try await files.files(sessionId: "s-1")
            }
            try database.close()
        }
    }

    @Test("upgrades a file an earlier version wrote: the files table comes, the drafts and the outbox stay")
    func upgradesEarlierFile() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("app.sqlite").path
            let earlier = try DatabasePool(path: path)
            try SQLiteDatabase.migrator.migrate(earlier, upTo: "v6-drafts")
            try await earlier.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO outbox (session_id, form_id, kind, variables, state, attempts, created_at, next_attempt_at)
                        VALUES ('s-1', 'address-update', 'submitted', '[]', 'queued', 0, 1000, 1000)
                        """
                )
                try db.execute(
                    sql: "INSERT INTO drafts (session_id, form_id, sealed, created_at, updated_at) VALUES ('s-2', 'claim-report', X'0102', 1, 1)"
                )
            }
            try earlier.close()

            let database = try SQLiteDatabase.open(path: path)
            let files = SQLiteFileStore(database: database)
            try await files.saveFile(FileStoreContract.file("f-1", at: TestDateClock.start))
            #expect(try await files.fileStats() == FileStats(count: 1, bytes: 100))
            #expect(try await SQLiteOutboxStore(database: database).isConsumed(sessionId: "s-1"))
            #expect(try await SQLiteDraftStore(database: database).draftCount() == 1)
            try database.close()
        }
    }
}
