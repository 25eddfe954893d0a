import AlvariaModels
import Foundation
import GRDB
import Testing

@testable import App

@Suite("The SQLite outbox store, on real files")
struct SQLiteOutboxStoreTests {
    @Test("meets the outbox store contract", arguments: OutboxStoreContract.checks)
    func contract(_ check: OutboxStoreContract.Check) async throws {
        try await withTemporaryFolder { folder in
            let contract = OutboxStoreContract {
                try SQLiteOutboxStore.open(path: folder.appendingPathComponent("\(UUID().uuidString).sqlite").path)
            }
            try await check.run(contract)
        }
    }

    @Test("keeps queued outcomes across closing and reopening the file")
    func survivesReopening() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("app.sqlite").path
            let first = try SQLiteOutboxStore.open(path: path)
            let entry = try await first.enqueue(newOutcome("s-1"), claimedUntil: TestDateClock.start).storedEntry()
            try await first.scheduleRetry(id: entry.id, attempts: 2, nextAttemptAt: TestDateClock.start.addingTimeInterval(9), lastError: "timeout")
            try first.close()

            let reopened = try SQLiteOutboxStore.open(path: path)
            let read = try #require(try await reopened.entry(id: entry.id))
            #expect(read.variables == entry.variables)
            #expect(read.attempts == 2)
            #expect(read.nextAttemptAt == TestDateClock.start.addingTimeInterval(9))
            #expect(try await reopened.isConsumed(sessionId: "s-1"))
            #expect(try await reopened.enqueue(newOutcome("s-1"), claimedUntil: TestDateClock.start) == .alreadyConsumed)
            try reopened.close()
        }
    }

    @Test("an erased value is in neither the database file nor its write-ahead log", arguments: [false, true])
    func erasedValuesLeaveNoTrace(byRetention: Bool) async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("app.sqlite").path
            let store = try SQLiteOutboxStore.open(path: path)
            let secret = "SENSITIVE-\(UUID().uuidString)"
            let plain = "PLAIN-\(UUID().uuidString)"
            var outcome = newOutcome(
                "s-1",
                variables: [OutcomeVariable(id: "pin", value: secret), OutcomeVariable(id: "street", value: plain)]
            )
            outcome.sensitiveVariables = ["pin"]
            let entry = try await store.enqueue(outcome, claimedUntil: TestDateClock.start).storedEntry()
            // Another outcome keeps the file busy, as real traffic would.
            _ = try await store.enqueue(newOutcome("s-2"), claimedUntil: TestDateClock.start)
            try await store.markDelivered(id: entry.id, at: TestDateClock.start)
            if byRetention {
                #expect(try await store.eraseDeliveredValues(before: TestDateClock.start.addingTimeInterval(1)) == 1)
            }
            var bytes = Data()
            for file in [path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
                bytes.append(try Data(contentsOf: URL(fileURLWithPath: file)))
            }
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "the sensitive value is still on disk")
            #expect((bytes.range(of: Data(plain.utf8)) == nil) == byRetention)
            try store.close()
        }
    }

    @Test("stores the values as a JSON list and times as milliseconds, in WAL mode")
    func onDiskFormat() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteOutboxStore.open(path: folder.appendingPathComponent("app.sqlite").path)
            let entry = try await store.enqueue(
                newOutcome("s-1", createdAt: TestDateClock.start.addingTimeInterval(0.25)),
                claimedUntil: TestDateClock.start
            )
            .storedEntry()
            try await store.markFailed(id: entry.id, reason: "400 bad request", at: TestDateClock.start.addingTimeInterval(2))
            let (json, created, failed, journal, migrations) = try await store.database.pool.read { db in
                (
                    try String.fetchOne(db, sql: "SELECT variables FROM outbox WHERE id = ?", arguments: [entry.id]),
                    try Int64.fetchOne(db, sql: "SELECT created_at FROM outbox WHERE id = ?", arguments: [entry.id]),
                    try Int64.fetchOne(db, sql: "SELECT failed_at FROM outbox WHERE id = ?", arguments: [entry.id]),
                    try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                    try SQLiteDatabase.migrator.appliedIdentifiers(db)
                )
            }
            #expect(json == #"[{"id":"newStreet","value":"1 Main St"},{"id":"formStatus","value":"completed"}]"#)
            #expect(created == 1_800_000_000_250)
            #expect(failed == 1_800_000_002_000, "kept for the retention purge of failed outcomes")
            #expect(journal == "wal")
            #expect(Set(migrations) == Set(DatabaseSchema.migrations.map(\.version)))
        }
    }

    @Test("upgrades a file an earlier version wrote, keeping its outcomes")
    func upgradesEarlierFile() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("app.sqlite").path
            // The file as the version before v3-same-indexes left it, with an outcome in it.
            let earlier = try DatabasePool(path: path)
            try SQLiteDatabase.migrator.migrate(earlier, upTo: "v2-sensitive-values")
            try await earlier.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO outbox (session_id, form_id, kind, variables, state, attempts, created_at, next_attempt_at)
                        VALUES ('s-1', 'address-update', 'submitted', '[{"id":"formStatus","value":"completed"}]', 'queued', 1, 1000, 2000)
                        """
                )
            }
            try earlier.close()

            let store = try SQLiteOutboxStore.open(path: path)
            let entry = try #require(try await store.entries(state: .queued, limit: 10).first)
            #expect(entry.sessionId == "s-1")
            #expect(entry.variables == [OutcomeVariable(id: "formStatus", value: "completed")])
            let indexes = try #require(try await DatabaseSchemaTests.shape(of: store.database)["outbox"]?.indexes)
            #expect(indexes["outbox_due"]?.columns == ["next_attempt_at", "id"])
            #expect(indexes["outbox_state"]?.columns == ["state", "id"])
            #expect(try await store.claimDue(now: StoredTime.date(2000), limit: 10, claimUntil: StoredTime.date(3000)).map(\.id) == [entry.id])
            try store.close()
        }
    }

    @Test("the locked kind's migration rebuilds the outbox keeping every row, id and index, then takes a locked outcome")
    func upgradesToLockedKind() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("app.sqlite").path
            // The file as the version before v4-locked-outcomes left it: an outcome in each state,
            // sensitive values and a failure time included, and a purged one whose id must stay used.
            let earlier = try DatabasePool(path: path)
            try SQLiteDatabase.migrator.migrate(earlier, upTo: "v3-same-indexes")
            try await earlier.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO outbox (
                            id, session_id, form_id, kind, variables, sensitive_values, state, attempts, created_at, next_attempt_at,
                            claimed_until, delivered_at, failed_at, last_error)
                        VALUES
                            (1, 's-queued', 'address-update', 'submitted', '[{"id":"formStatus","value":"completed"}]',
                                '[{"at":0,"id":"pin","value":"1234"}]', 'queued', 2, 1000, 5000, 4000, NULL, NULL, '500 server error'),
                            (2, 's-failed', 'address-update', 'declined', '[]', NULL, 'failed', 1, 1100, NULL, NULL, NULL, 1200,
                                '404 dialog not found'),
                            (3, 's-delivered', 'consent-capture', 'submitted', NULL, NULL, 'delivered', 1, 1300, NULL, NULL, 1400, NULL, NULL),
                            (4, 's-purged', 'consent-capture', 'submitted', '[]', NULL, 'delivered', 1, 1500, NULL, NULL, 1600, NULL, NULL)
                        """
                )
                try db.execute(sql: "DELETE FROM outbox WHERE id = 4")
            }
            // The old CHECK is what the migration is for.
            await #expect(throws: DatabaseError.self) {
                try await earlier.write { db in
                    try db.execute(
                        sql: """
                            INSERT INTO outbox (session_id, form_id, kind, variables, state, attempts, created_at)
                            VALUES ('s-x', 'f', 'locked', '[]', 'queued', 0, 1)
                            """
                    )
                }
            }
            // Read synchronously: GRDB's rows are not Sendable.
            let before = try earlier.read { db in try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY id") }
            try earlier.close()

            let store = try SQLiteOutboxStore.open(path: path)
            // The columns the rows had; later migrations add others (form_version: '' for these).
            let columns = try #require(before.first).columnNames.joined(separator: ", ")
            let after = try store.database.pool.read { db in try Row.fetchAll(db, sql: "SELECT \(columns) FROM outbox ORDER BY id") }
            #expect(after == before, "every row, column for column")
            let versions = try await store.database.pool.read { db in try String.fetchAll(db, sql: "SELECT form_version FROM outbox") }
            #expect(versions == ["", "", ""])
            #expect(try await store.entries(state: .queued, limit: 10).first?.variables?.first == OutcomeVariable(id: "pin", value: "1234"))
            let fresh = try await withTemporaryFolder { other in
                let database = try SQLiteDatabase.open(path: other.appendingPathComponent("fresh.sqlite").path)
                defer { try? database.close() }
                return try await DatabaseSchemaTests.shape(of: database)
            }
            #expect(try await DatabaseSchemaTests.shape(of: store.database) == fresh, "the same columns and indexes as a new file")

            let locked = try await store.enqueue(newOutcome("s-locked", kind: .locked), claimedUntil: TestDateClock.start).storedEntry()
            #expect(locked.id == 5, "AUTOINCREMENT's counter survived the rebuild: the purged entry's id is not given out again")
            #expect(try await store.entry(id: locked.id)?.kind == .locked)
            #expect(try await store.enqueue(newOutcome("s-queued"), claimedUntil: TestDateClock.start) == .alreadyConsumed, "still UNIQUE")
            try store.close()
        }
    }

    @Test("creates a missing folder")
    func createsFolder() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("data/nested/app.sqlite").path
            let store = try SQLiteOutboxStore.open(path: path)
            try await store.ping()
            #expect(FileManager.default.fileExists(atPath: path))
        }
    }

    @Test("explains a folder that cannot be created")
    func folderIsAFile() async throws {
        try await withTemporaryFolder { folder in
            // Root ignores permissions, so a regular file in the way is the portable "cannot create".
            let file = folder.appendingPathComponent("file.txt")
            try Data("x".utf8).write(to: file)
            let path = file.appendingPathComponent("db.sqlite").path
            #expect(
                try openingProblem(path)
                    == "database \(path): cannot create the folder \(file.path) (\(file.path) is a file): check the path in database.url"
            )
            let deeper = file.appendingPathComponent("sub/db.sqlite").path
            #expect(try openingProblem(deeper).hasPrefix("database \(deeper): cannot create the folder \(file.path)/sub (\(file.path) is a file)"))
        }
    }

    @Test("explains a folder given as the database file")
    func pathIsAFolder() async throws {
        try await withTemporaryFolder { folder in
            let line = try openingProblem(folder.path)
            #expect(line == "database \(folder.path): is a folder, not a file: set database.url to a file, e.g. sqlite:\(folder.path)/app.sqlite")
        }
    }

    @Test("explains a file that is not an SQLite database")
    func notADatabase() async throws {
        try await withTemporaryFolder { folder in
            let file = folder.appendingPathComponent("garbage.sqlite")
            try Data(String(repeating: "this is not a database, ", count: 100).utf8).write(to: file)
            let line = try openingProblem(file.path)
            #expect(line.hasPrefix("database \(file.path): is not an SQLite database"))
            #expect(line.hasSuffix("move the file away or point database.url at another file"))
        }
    }

    @Test("explains a database locked by another process")
    func locked() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("locked.sqlite").path
            // Another connection holds the write lock, as another process would.
            var configuration = Configuration()
            configuration.allowsUnsafeTransactions = true  // the transaction stays open across accesses on purpose
            let other = try DatabaseQueue(path: path, configuration: configuration)
            try await other.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
            let started = ContinuousClock.now
            let line = try openingProblem(path, busyTimeout: 0.2)
            #expect(line.hasPrefix("database \(path): is locked by another process"))
            #expect(ContinuousClock.now - started < .seconds(3))
            try await other.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
        }
    }

    @Test("explains a schema from a newer version")
    func newerSchema() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("app.sqlite").path
            let store = try SQLiteOutboxStore.open(path: path)
            try await store.database.pool.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
            }
            try store.close()
            #expect(
                try openingProblem(path)
                    == "database \(path): was written by a newer version of this app: run that version, or point database.url at another file"
            )
        }
    }

    @Test("fails the readiness ping once closed")
    func pingFailsWhenClosed() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteOutboxStore.open(path: folder.appendingPathComponent("app.sqlite").path)
            try await store.ping()
            try store.close()
            await #expect(throws: (any Error).self) { try await store.ping() }
        }
    }

    /// The one line `open` reports, or a recorded issue.
    private func openingProblem(_ path: String, busyTimeout: TimeInterval = 5, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        do {
            let store = try SQLiteOutboxStore.open(path: path, busyTimeout: busyTimeout)
            try? store.close()
            Issue.record("opened \(path)", sourceLocation: sourceLocation)
            return ""
        } catch {
            #expect(error.problems.count == 1, sourceLocation: sourceLocation)
            let line = try #require(error.problems.first, sourceLocation: sourceLocation)
            #expect(!line.contains("\n"), sourceLocation: sourceLocation)
            return line
        }
    }
}
