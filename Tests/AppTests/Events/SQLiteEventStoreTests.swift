import Foundation
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
}
