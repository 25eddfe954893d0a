import Foundation
import Testing

@testable import App

@Suite(
    "The PostgreSQL event store, on a real server",
    .enabled(if: PostgresTestServer.isAvailable, "needs TEST_POSTGRES_URL (scripts/test.sh starts one)")
)
struct PostgresEventStoreTests {
    @Test("meets the event store contract", arguments: EventStoreContract.checks)
    func contract(_ check: EventStoreContract.Check) async throws {
        try await PostgresTestServer.withStores { makeStore in
            try await check.run(EventStoreContract { PostgresEventStore(database: try await makeStore().database) })
        }
    }

    @Test("claimers racing on one database never get the same event, nor two of one session")
    func racingClaimers() async throws {
        try await PostgresTestServer.withStores { makeStore in
            let store = PostgresEventStore(database: try await makeStore().database)
            for index in 0..<60 {
                try await store.record(EventStoreContract.event("msg_\(index)", session: "s-\(index % 20)", at: TestDateClock.start))
            }
            let start = TestDateClock.start.addingTimeInterval(1)
            let claimed = try await withThrowingTaskGroup(of: [StoredEvent].self) { group in
                for _ in 0..<6 {
                    group.addTask { try await store.claimDue(now: start, limit: 8, claimUntil: start.addingTimeInterval(60)) }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(Set(claimed.map(\.id)).count == claimed.count, "an event was claimed twice")
            #expect(Set(claimed.map(\.sessionId)).count == claimed.count, "two events of one session were out at once")
            #expect(claimed.count == 20, "every session's first event, and only those")
        }
    }
}
