import AlvariaModels
import Foundation
import GRDB
import Testing

@testable import App

@Suite("The SQLite session state store, on real files")
struct SQLiteSessionStateStoreTests {
    @Test("meets the session state store contract", arguments: SessionStateStoreContract.checks)
    func contract(_ check: SessionStateStoreContract.Check) async throws {
        try await withTemporaryFolder { folder in
            let contract = SessionStateStoreContract {
                let database = try SQLiteDatabase.open(path: folder.appendingPathComponent("\(UUID().uuidString).sqlite").path)
                return .init(sessions: SQLiteSessionStateStore(database: database), outbox: SQLiteOutboxStore(database: database))
            }
            try await check.run(contract)
        }
    }

    @Test("is opened with the outbox, on its file: a lock's outcome is in that outbox")
    func openedWithTheOutbox() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("app.sqlite").path
            let settings = try await AppConfig.load(environment: ["DATABASE_URL": "sqlite:\(path)"]).database
            let opened = try OutboxStores.open(settings, logger: quietLogger)
            let result = try await opened.sessions.attemptVerification(
                sessionId: "s-1",
                maxAttempts: 1,
                lockedOutcome: SessionStateStoreContract.lockedOutcome("s-1"),
                at: TestDateClock.start,
                isCorrect: { false }
            )
            #expect(result == .lockedNow)
            #expect(try await opened.store.entries(state: .queued, limit: 10).map(\.kind) == [.locked])
        }
    }

    @Test("serialises 50 parallel wrong answers through two pools on one file, as two processes would")
    func twoPools() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("app.sqlite").path
            // Each pool has its own writer connection: only the file's lock (BEGIN IMMEDIATE)
            // serialises them, as between two processes.
            let first = try SQLiteDatabase.open(path: path)
            let second = try SQLiteDatabase.open(path: path)
            try await SessionStateStoreContract.parallelWrongAnswers(
                through: [SQLiteSessionStateStore(database: first), SQLiteSessionStateStore(database: second)],
                outbox: SQLiteOutboxStore(database: first)
            )
            try first.close()
            try second.close()
        }
    }

    @Test("keeps a session's state across closing and reopening the file")
    func survivesReopening() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("app.sqlite").path
            let first = try SQLiteDatabase.open(path: path)
            let opened = try await SQLiteSessionStateStore(database: first)
                .recordOpening(sessionId: "s-1", formId: "address-update", at: TestDateClock.start.addingTimeInterval(0.25))
            try first.close()

            let reopened = try SQLiteDatabase.open(path: path)
            #expect(try await SQLiteSessionStateStore(database: reopened).state(sessionId: "s-1") == opened)
            let (firstOpenedAt, createdAt) = try await reopened.pool.read { db in
                let row = try #require(try Row.fetchOne(db, sql: "SELECT first_opened_at, created_at FROM session_state"))
                return (row["first_opened_at"] as Int64?, row["created_at"] as Int64?)
            }
            #expect(firstOpenedAt == 1_800_000_000_250, "milliseconds, like the outbox")
            #expect(createdAt == 1_800_000_000_250)
            try reopened.close()
        }
    }
}
