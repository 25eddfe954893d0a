import AlvariaModels
import Foundation
import Synchronization
import Testing

@testable import App

/// What every ``SessionStateStore`` must do, whatever database is behind it, with the outbox on
/// the same database (a lock stores its outcome there).
///
/// Like `OutboxStoreContract`: a store's suite runs every check as one parameterised test with a
/// factory of fresh, empty stores (see `SQLiteSessionStateStoreTests.contract`).
struct SessionStateStoreContract: Sendable {
    /// A session state store and the outbox on its database.
    struct Stores: Sendable {
        let sessions: any SessionStateStore
        let outbox: any OutboxStore
    }

    /// Makes fresh, empty stores each time it is called.
    let makeStores: @Sendable () async throws -> Stores

    /// One named check, for `@Test(arguments: SessionStateStoreContract.checks)`.
    struct Check: Sendable, CustomTestStringConvertible {
        let name: String
        let run: @Sendable (SessionStateStoreContract) async throws -> Void
        var testDescription: String { name }
    }

    static let checks: [Check] = [
        Check(name: "has no state for a session it has not seen", run: { try await $0.noStateBefore() }),
        Check(name: "records the first opening once; later openings keep it", run: { try await $0.recordsFirstOpening() }),
        Check(name: "of 20 concurrent first openings one wins, and every caller learns which", run: { try await $0.concurrentOpenings() }),
        Check(name: "an attempt before the opening makes the row, and the opening fills it in", run: { try await $0.attemptBeforeOpening() }),
        Check(name: "counts wrong answers down, verifies right ones without counting, locks at the last", run: { try await $0.wrongRightLocked() }),
        Check(name: "never compares an answer once the session is locked", run: { try await $0.noComparisonWhenLocked() }),
        Check(name: "stores the locked outcome queued, due, unclaimed and of kind locked", run: { try await $0.lockedOutcomeShape() }),
        Check(name: "locks after exactly maxAttempts of 50 parallel wrong answers, with one outcome", run: { try await $0.parallelWrongAnswers() }),
        Check(name: "locks a session that has an outcome already, without storing a second", run: { try await $0.locksConsumedSession() }),
        Check(name: "purges rows created before a time, however recently they changed", run: { try await $0.purges() }),
    ]

    private var t0: Date { TestDateClock.start }
    private func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    /// The locked outcome a form with `lockedVariables: {formStatus: verificationFailed}` posts.
    static func lockedOutcome(_ sessionId: String, createdAt: Date = TestDateClock.start, kind: OutcomeKind = .locked) -> NewOutcome {
        newOutcome(sessionId, kind: kind, variables: lockedVariables, createdAt: createdAt)
    }

    static let lockedVariables = [OutcomeVariable(id: "formStatus", value: "verificationFailed")]

    func noStateBefore() async throws {
        let stores = try await makeStores()
        #expect(try await stores.sessions.state(sessionId: "s-1") == nil)
        _ = try await stores.sessions.recordOpening(sessionId: "s-2", formId: "address-update", at: at(1))
        #expect(try await stores.sessions.state(sessionId: "s-1") == nil, "another session's row is not this one's")
    }

    func recordsFirstOpening() async throws {
        let sessions = try await makeStores().sessions
        let first = try await sessions.recordOpening(sessionId: "s-1", formId: "address-update", at: at(10))
        let expected = SessionState(sessionId: "s-1", formId: "address-update", firstOpenedAt: at(10), verificationFailures: 0, lockedAt: nil)
        #expect(first == expected)
        #expect(try await sessions.recordOpening(sessionId: "s-1", formId: "consent-capture", at: at(20)) == expected)
        #expect(try await sessions.state(sessionId: "s-1") == expected)
        #expect(try await sessions.recordOpening(sessionId: "s-2", formId: "consent-capture", at: at(30)).firstOpenedAt == at(30))
    }

    func concurrentOpenings() async throws {
        let sessions = try await makeStores().sessions
        let states = try await withThrowingTaskGroup(of: SessionState.self) { group in
            for index in 0..<20 {
                group.addTask {
                    try await sessions.recordOpening(sessionId: "s-race", formId: "form-\(index)", at: self.at(Double(100 + index)))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let winner = try #require(states.first)
        #expect(states.allSatisfy { $0 == winner }, "every caller learns the same first opening")
        let index = try #require(winner.formId.flatMap { Int($0.dropFirst("form-".count)) })
        #expect(winner.firstOpenedAt == at(Double(100 + index)), "the time and the form of one and the same opening")
        #expect(try await sessions.state(sessionId: "s-race") == winner)
    }

    func attemptBeforeOpening() async throws {
        let sessions = try await makeStores().sessions
        let attempt = try await sessions.attemptVerification(
            sessionId: "s-1",
            maxAttempts: 3,
            lockedOutcome: Self.lockedOutcome("s-1"),
            at: at(5),
            isCorrect: { false }
        )
        #expect(attempt == .wrong(attemptsLeft: 2))
        #expect(
            try await sessions.state(sessionId: "s-1")
                == SessionState(sessionId: "s-1", formId: nil, firstOpenedAt: nil, verificationFailures: 1, lockedAt: nil)
        )
        #expect(
            try await sessions.recordOpening(sessionId: "s-1", formId: "address-update", at: at(6))
                == SessionState(sessionId: "s-1", formId: "address-update", firstOpenedAt: at(6), verificationFailures: 1, lockedAt: nil)
        )
    }

    func wrongRightLocked() async throws {
        let stores = try await makeStores()
        let sessions = stores.sessions
        _ = try await sessions.recordOpening(sessionId: "s-1", formId: "address-update", at: at(0))
        func attempt(_ correct: Bool, at seconds: TimeInterval, session sessionId: String = "s-1") async throws -> VerificationAttempt {
            try await sessions.attemptVerification(
                sessionId: sessionId,
                maxAttempts: 3,
                lockedOutcome: Self.lockedOutcome(sessionId, createdAt: at(seconds)),
                at: at(seconds),
                isCorrect: { correct }
            )
        }
        #expect(try await attempt(false, at: 1) == .wrong(attemptsLeft: 2))
        #expect(try await attempt(true, at: 2) == .verified)
        #expect(try await sessions.state(sessionId: "s-1")?.verificationFailures == 1, "a right answer does not count")
        #expect(try await attempt(false, at: 3) == .wrong(attemptsLeft: 1))
        #expect(try await attempt(false, at: 3, session: "s-2") == .wrong(attemptsLeft: 2), "sessions count apart")
        #expect(try await stores.outbox.isConsumed(sessionId: "s-1") == false, "no outcome before the lock")
        #expect(try await attempt(false, at: 4) == .lockedNow)
        #expect(
            try await sessions.state(sessionId: "s-1")
                == SessionState(sessionId: "s-1", formId: "address-update", firstOpenedAt: at(0), verificationFailures: 3, lockedAt: at(4))
        )
        #expect(try await attempt(true, at: 5) == .locked, "a right answer after the lock is not even compared")
        #expect(try await attempt(false, at: 6) == .locked)
        #expect(try await sessions.state(sessionId: "s-1")?.verificationFailures == 3, "nothing counts after the lock")
        #expect(try await sessions.state(sessionId: "s-1")?.lockedAt == at(4))
        #expect(try await sessions.state(sessionId: "s-2")?.lockedAt == nil)
        let entries = try await stores.outbox.entries(state: nil, limit: 10)
        #expect(entries.map(\.sessionId) == ["s-1"], "one outcome, for the locked session only")
    }

    func noComparisonWhenLocked() async throws {
        let sessions = try await makeStores().sessions
        let calls = CallCounter()
        #expect(
            try await sessions.attemptVerification(
                sessionId: "s-1",
                maxAttempts: 1,
                lockedOutcome: Self.lockedOutcome("s-1"),
                at: at(1),
                isCorrect: { calls.wrong() }
            ) == .lockedNow
        )
        #expect(calls.count == 1)
        for index in 0..<5 {
            let result = try await sessions.attemptVerification(
                sessionId: "s-1",
                maxAttempts: 1,
                lockedOutcome: Self.lockedOutcome("s-1"),
                at: at(Double(2 + index)),
                isCorrect: { calls.right() }
            )
            #expect(result == .locked)
        }
        #expect(calls.count == 1, "isCorrect was called after the lock")
    }

    func lockedOutcomeShape() async throws {
        let stores = try await makeStores()
        // The caller's kind does not matter: a lock's outcome is of kind locked.
        let result = try await stores.sessions.attemptVerification(
            sessionId: "s-1",
            maxAttempts: 1,
            lockedOutcome: Self.lockedOutcome("s-1", createdAt: at(7), kind: .submitted),
            at: at(7),
            isCorrect: { false }
        )
        #expect(result == .lockedNow)
        let entry = try #require(try await stores.outbox.entries(state: nil, limit: 10).first)
        #expect(entry.sessionId == "s-1")
        #expect(entry.formId == "address-update")
        #expect(entry.kind == .locked)
        #expect(entry.variables == Self.lockedVariables)
        #expect(entry.state == .queued)
        #expect(entry.attempts == 0)
        #expect(entry.createdAt == at(7))
        #expect(entry.nextAttemptAt == at(7), "due at once")
        #expect(entry.claimedUntil == nil, "not claimed: nobody is posting it yet")
        #expect(try await stores.outbox.isConsumed(sessionId: "s-1"))
        #expect(try await stores.outbox.claimDue(now: at(7), limit: 10, claimUntil: at(67)).map(\.id) == [entry.id], "the deliverer takes it")
    }

    func parallelWrongAnswers() async throws {
        let stores = try await makeStores()
        try await Self.parallelWrongAnswers(through: [stores.sessions], outbox: stores.outbox)
    }

    /// 50 wrong answers at once, spread over `instances` (stores on one database): exactly
    /// `maxAttempts` comparisons, one lock, one outcome.
    static func parallelWrongAnswers(
        through instances: [any SessionStateStore],
        outbox: any OutboxStore,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let maxAttempts = 3
        let calls = CallCounter()
        let results = try await withThrowingTaskGroup(of: VerificationAttempt.self) { group in
            for index in 0..<50 {
                let sessions = instances[index % instances.count]
                group.addTask {
                    try await sessions.attemptVerification(
                        sessionId: "s-parallel",
                        maxAttempts: maxAttempts,
                        lockedOutcome: lockedOutcome("s-parallel"),
                        at: TestDateClock.start,
                        isCorrect: { calls.wrong() }
                    )
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(calls.count == maxAttempts, "answers compared", sourceLocation: sourceLocation)
        let wrong = results.filter { if case .wrong = $0 { true } else { false } }
        #expect(wrong.count == maxAttempts - 1, sourceLocation: sourceLocation)
        #expect(wrong.contains(.wrong(attemptsLeft: 2)) && wrong.contains(.wrong(attemptsLeft: 1)), sourceLocation: sourceLocation)
        #expect(results.count { $0 == .lockedNow } == 1, sourceLocation: sourceLocation)
        #expect(results.count { $0 == .locked } == 50 - maxAttempts, sourceLocation: sourceLocation)
        let state = try #require(try await instances[0].state(sessionId: "s-parallel"), sourceLocation: sourceLocation)
        #expect(state.verificationFailures == maxAttempts, sourceLocation: sourceLocation)
        #expect(state.lockedAt == TestDateClock.start, sourceLocation: sourceLocation)
        let entries = try await outbox.entries(state: nil, limit: 10)
        #expect(entries.count == 1, sourceLocation: sourceLocation)
        #expect(entries.first?.kind == .locked, sourceLocation: sourceLocation)
        #expect(entries.first?.variables == lockedVariables, sourceLocation: sourceLocation)
    }

    func locksConsumedSession() async throws {
        let stores = try await makeStores()
        let submitted = try await stores.outbox.enqueue(newOutcome("s-1"), claimedUntil: at(60)).storedEntry()
        let result = try await stores.sessions.attemptVerification(
            sessionId: "s-1",
            maxAttempts: 1,
            lockedOutcome: Self.lockedOutcome("s-1", createdAt: at(2)),
            at: at(2),
            isCorrect: { false }
        )
        #expect(result == .lockedNow)
        #expect(try await stores.sessions.state(sessionId: "s-1")?.lockedAt == at(2))
        #expect(try await stores.outbox.entries(state: nil, limit: 10) == [submitted], "the session keeps its one outcome")
    }

    func purges() async throws {
        let sessions = try await makeStores().sessions
        _ = try await sessions.recordOpening(sessionId: "s-old", formId: "address-update", at: at(10))
        // Made at 20 by an attempt, opened at 40: the row's creation is what counts.
        _ = try await sessions.attemptVerification(
            sessionId: "s-attempted",
            maxAttempts: 3,
            lockedOutcome: Self.lockedOutcome("s-attempted"),
            at: at(20),
            isCorrect: { false }
        )
        _ = try await sessions.recordOpening(sessionId: "s-attempted", formId: "address-update", at: at(40))
        let recent = try await sessions.recordOpening(sessionId: "s-recent", formId: "address-update", at: at(30))

        #expect(try await sessions.purgeStates(createdBefore: at(30)) == 2)
        #expect(try await sessions.state(sessionId: "s-old") == nil)
        #expect(try await sessions.state(sessionId: "s-attempted") == nil)
        #expect(try await sessions.state(sessionId: "s-recent") == recent, "created at the cut-off: kept")
        #expect(try await sessions.purgeStates(createdBefore: at(30)) == 0)
    }
}

/// Counts the calls of a test's `isCorrect`.
final class CallCounter: Sendable {
    private let calls = Mutex(0)

    var count: Int { calls.withLock { $0 } }

    /// Counts the call and answers "wrong".
    func wrong() -> Bool {
        calls.withLock { $0 += 1 }
        return false
    }

    /// Counts the call and answers "right".
    func right() -> Bool {
        calls.withLock { $0 += 1 }
        return true
    }
}
