import AlvariaModels
import Foundation
import PostgresNIO
import Synchronization
import Testing

@testable import App

@Suite(
    "The PostgreSQL session state store, on a real server",
    .enabled(if: PostgresTestServer.isAvailable, "needs TEST_POSTGRES_URL (scripts/test.sh starts one)")
)
struct PostgresSessionStateStoreTests {
    @Test("meets the session state store contract", arguments: SessionStateStoreContract.checks)
    func contract(_ check: SessionStateStoreContract.Check) async throws {
        try await PostgresTestServer.withStores { makeStore in
            try await check.run(
                SessionStateStoreContract {
                    let outbox = try await makeStore()
                    return .init(sessions: PostgresSessionStateStore(database: outbox.database), outbox: outbox)
                }
            )
        }
    }

    @Test("two instances (two pools on one database): 50 parallel wrong answers lock once, with one outcome")
    func twoInstancesLockOnce() async throws {
        try await Self.withTwoInstances { first, second in
            try await SessionStateStoreContract.parallelWrongAnswers(through: [first.sessions, second.sessions], outbox: first.store)
            #expect(try await second.store.entries(state: .queued, limit: 10).map(\.kind) == [.locked], "the outcome is in the shared outbox")
        }
    }

    @Test("two instances: of concurrent first openings one wins, and both instances' callers learn which")
    func twoInstancesFirstOpening() async throws {
        try await Self.withTwoInstances { first, second in
            let states = try await withThrowingTaskGroup(of: SessionState.self) { group in
                for index in 0..<20 {
                    let sessions = index.isMultiple(of: 2) ? first.sessions : second.sessions
                    group.addTask {
                        try await sessions.recordOpening(
                            sessionId: "s-race",
                            formId: "form-\(index)",
                            at: TestDateClock.start.addingTimeInterval(Double(index))
                        )
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let winner = try #require(states.first)
            #expect(winner.firstOpenedAt != nil)
            #expect(states.allSatisfy { $0 == winner })
            #expect(try await second.sessions.state(sessionId: "s-race") == winner)
        }
    }

    @Test("an attempt waits while another transaction holds the session's row, then sees its changes")
    func waitsForTheRowLock() async throws {
        try await PostgresTestServer.withStores { makeStore in
            let outbox = try await makeStore()
            let sessions = PostgresSessionStateStore(database: outbox.database)
            _ = try await sessions.recordOpening(sessionId: "s-1", formId: "address-update", at: TestDateClock.start)
            let calls = CallCounter()
            var attempt: Task<VerificationAttempt, any Error>?
            // Another instance's attempt, in the middle of its transaction: the row locked (only
            // locked, so that nothing but the lock makes this attempt wait), then one failure
            // written just before the commit.
            try await outbox.client.withTransaction(logger: quietLogger) { connection in
                try await connection.query("SELECT 1 FROM session_state WHERE session_id = 's-1' FOR UPDATE", logger: quietLogger)
                attempt = Task {
                    try await sessions.attemptVerification(
                        sessionId: "s-1",
                        maxAttempts: 3,
                        lockedOutcome: SessionStateStoreContract.lockedOutcome("s-1"),
                        at: TestDateClock.start,
                        isCorrect: { calls.wrong() }
                    )
                }
                try await Task.sleep(for: .milliseconds(500))
                #expect(calls.count == 0, "compared while another attempt held the session")
                try await connection.query("UPDATE session_state SET verification_failures = 1 WHERE session_id = 's-1'", logger: quietLogger)
            }
            #expect(try await attempt?.value == .wrong(attemptsLeft: 1), "counted after the other attempt's failure")
            #expect(calls.count == 1)
        }
    }

    @Test("gives up waiting for a session's row after the store's timeout, without comparing")
    func lockWaitTimesOut() async throws {
        try await PostgresTestServer.withStores { makeStore in
            let outbox = try await makeStore()
            let sessions = PostgresSessionStateStore(database: outbox.database)
            _ = try await sessions.recordOpening(sessionId: "s-1", formId: "address-update", at: TestDateClock.start)
            let impatient = PostgresSessionStateStore(
                database: App.PostgresDatabase(client: outbox.client, logger: quietLogger, timeout: .milliseconds(300))
            )
            let (locked, lockTaken) = AsyncStream<Void>.makeStream()
            // An instance that holds the row for 3 seconds (as one that vanished mid-transaction would, longer).
            let holder = Task {
                try await outbox.client.withTransaction(logger: quietLogger) { connection in
                    try await connection.query("SELECT 1 FROM session_state WHERE session_id = 's-1' FOR UPDATE", logger: quietLogger)
                    lockTaken.yield()
                    try await Task.sleep(for: .seconds(3))
                }
            }
            for await _ in locked { break }
            let calls = CallCounter()
            let started = ContinuousClock.now
            await #expect(throws: (any Error).self) {
                try await impatient.attemptVerification(
                    sessionId: "s-1",
                    maxAttempts: 3,
                    lockedOutcome: SessionStateStoreContract.lockedOutcome("s-1"),
                    at: TestDateClock.start,
                    isCorrect: { calls.wrong() }
                )
            }
            #expect(ContinuousClock.now - started < .seconds(2), "the server ended the wait (lock_timeout), not the holder's commit")
            #expect(calls.count == 0)
            try await holder.value
            #expect(try await sessions.state(sessionId: "s-1")?.verificationFailures == 0, "the abandoned attempt left nothing")
        }
    }

    /// Two "instances": two pools opened like the server opens its store, on one fresh database.
    static func withTwoInstances(_ body: @Sendable (OpenedOutboxStore, OpenedOutboxStore) async throws -> Void) async throws {
        try await PostgresTestServer.withDatabases { makeDatabase in
            let settings = try await PostgresTestServer.settings(url: try await makeDatabase())
            let first = try OutboxStores.open(settings, logger: quietLogger)
            let second = try OutboxStores.open(settings, logger: quietLogger)
            let running = (first.services + second.services).map { service in Task { try await service.run() } }
            defer { for task in running { task.cancel() } }
            try await first.prepare()
            try await second.prepare()
            try await body(first, second)
        }
    }
}
