import Foundation
import GRDB
import Testing

@testable import App

@Suite("The SQLite event store, on real files")
struct SQLiteEventStoreTests {
    @Test("meets the event store contract", arguments: EventStoreContract.checks)
    func contract(_ check: EventStoreContract.Check) async throws {
        try await withTemporaryFolder { folder in
            try await check.run(
                EventStoreContract {
                    SQLiteEventStore(database: try SQLiteDatabase.open(path: folder.appendingPathComponent("\(UUID().uuidString).sqlite").path))
                }
            )
        }
    }

    @Test("is opened with the outbox, on its file")
    func openedWithTheOutbox() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("app.sqlite").path
            let settings = try await AppConfig.load(environment: ["DATABASE_URL": "sqlite:\(path)"]).database
            let opened = try OutboxStores.open(settings, logger: quietLogger)
            try await opened.events.record(EventStoreContract.event("msg_1", session: "s-1", at: TestDateClock.start))
            let reopened = SQLiteEventStore(database: try SQLiteDatabase.open(path: path))
            #expect(try await reopened.events(state: .pending, limit: 10).map(\.webhookId) == ["msg_1"])
        }
    }

    @Test("upgrades a file an earlier version wrote: the events table comes, the outbox stays")
    func upgradesEarlierFile() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("app.sqlite").path
            let earlier = try DatabasePool(path: path)
            try SQLiteDatabase.migrator.migrate(earlier, upTo: "v7-files")
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
            let events = SQLiteEventStore(database: database)
            try await events.record(EventStoreContract.event("msg_1", session: "s-1", at: TestDateClock.start))
            #expect(try await events.counts()[.pending] == 1)
            #expect(try await SQLiteOutboxStore(database: database).isConsumed(sessionId: "s-1"))
            try database.close()
        }
    }
}
