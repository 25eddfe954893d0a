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
                #expect(try await store.appliedMigrations() == ["v1-outbox"])
                try await store.ping()
                for task in tasks { task.cancel() }
            }
        }
    }
}
