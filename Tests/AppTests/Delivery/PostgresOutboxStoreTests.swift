import AlvariaModels
import Foundation
import PostgresNIO
import Testing

@testable import App

@Suite(
    "The PostgreSQL outbox store, on a real server",
    .enabled(if: PostgresTestServer.isAvailable, "needs TEST_POSTGRES_URL (scripts/test.sh starts one)")
)
struct PostgresOutboxStoreTests {
    @Test("meets the outbox store contract", arguments: OutboxStoreContract.checks)
    func contract(_ check: OutboxStoreContract.Check) async throws {
        try await PostgresTestServer.withStores { makeStore in
            try await check.run(OutboxStoreContract { try await makeStore() })
        }
    }

    @Test("applies its migrations once, even when several instances start together")
    func concurrentMigrations() async throws {
        try await PostgresTestServer.withDatabases { makeDatabase in
            let settings = try await PostgresTestServer.settings(url: try await makeDatabase())
            try await withThrowingTaskGroup(of: Void.self) { group in
                var tasks: [Task<Void, Never>] = []
                for _ in 0..<4 {
                    let opened = try OutboxStores.open(settings, logger: quietLogger)
                    let client = try #require((opened.store as? PostgresOutboxStore)?.client)
                    tasks.append(Task { await client.run() })
                    group.addTask { try await opened.prepare() }
                }
                try await group.waitForAll()
                let check = try OutboxStores.open(settings, logger: quietLogger)
                let store = try #require(check.store as? PostgresOutboxStore)
                tasks.append(Task { await store.client.run() })
                #expect(try await store.database.appliedMigrations() == DatabaseSchema.migrations.map(\.version))
                try await store.ping()
                for task in tasks { task.cancel() }
            }
        }
    }

    @Test("a row that lacks a column is an unreadable entry, not a crash")
    func missingColumn() async throws {
        try await PostgresTestServer.withStores { makeStore in
            let store = try await makeStore()
            let entry = try await store.enqueue(newOutcome("s-1"), claimedUntil: TestDateClock.start).storedEntry()
            // PostgresNIO traps on an unknown column name; the row reader checks first.
            let rows = try await store.database.rows("SELECT id, session_id FROM outbox")
            #expect(throws: OutboxStoreError.unreadableEntry(id: entry.id, reason: "column kind is missing or not text")) {
                try OutboxEntry(row: try #require(rows.first).makeRandomAccess())
            }
        }
    }
}

/// The operator commands on PostgreSQL, through the real binary: the same commands as on SQLite.
@Suite(
    "The outbox operator commands on PostgreSQL",
    .enabled(if: PostgresTestServer.isAvailable, "needs TEST_POSTGRES_URL (scripts/test.sh starts one)")
)
struct PostgresOutboxCommandTests {
    @Test("list (with the drafts' count and the files'), retry and purge work on a PostgreSQL outbox")
    func commands() async throws {
        try await PostgresTestServer.withStores { makeStore in
            let store = try await makeStore()
            let filled = try await FilledOutbox.fill(store, now: Date())
            #expect(
                try await PostgresDraftStore(database: store.database).saveDraft(sessionId: "draft-session", formId: "f", sealed: [1], at: Date())
            )
            try await PostgresFileStore(database: store.database).saveFile(FileStoreContract.file("f-1", size: 2_048, at: Date()))
            let url = try await Self.url(of: store)
            let directory = try temporaryDirectory()
            func run(_ arguments: [String]) async throws -> (Int32, String) {
                let app = try SpawnedApp.launch(arguments: ["outbox"] + arguments, environment: ["DATABASE_URL": url], directory: directory)
                return (try await app.waitForExit(timeout: .seconds(30)), app.log)
            }
            let (listStatus, list) = try await run(["list"])
            #expect(listStatus == 0)
            #expect(list.contains("1 queued, 1 failed, 2 delivered\n1 draft in progress, 1 file (2 KB)"), "\(list)")
            #expect(!list.contains(FilledOutbox.sessions.oldDelivered), "sessions are shortened")
            #expect(!list.contains(FilledOutbox.privateValue))
            let (retryStatus, retry) = try await run(["retry", "\(filled.failed.id)"])
            #expect(retryStatus == 0, "\(retry)")
            #expect(try await store.entry(id: filled.failed.id)?.state == .queued)
            let (purgeStatus, purge) = try await run(["purge", "--delivered-before", "1m"])
            #expect(purgeStatus == 0, "\(purge)")
            #expect(purge.hasPrefix("purged 2 delivered outcomes"), "\(purge)")
            #expect(try await store.counts()[.delivered] == 0)
        }
    }

    /// The database URL a store was opened on (each contract store has its own database).
    static func url(of store: PostgresOutboxStore) async throws -> String {
        let rows = try await store.client.query("SELECT current_database()").collect()
        let name = try #require(try rows.first?.decode(String.self))
        return try PostgresTestServer.url(database: name)
    }
}
