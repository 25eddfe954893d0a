import AlvariaModels
import Foundation
import Synchronization

@testable import App

/// Sessions' verification and expiry state in memory, for tests of the flow above the store
/// (verification and expiry through the router). It meets the same contract as the real stores
/// (`InMemorySessionStateStoreTests`).
///
/// A locked outcome lands in ``outbox``: pass the `InMemoryOutboxStore` the application under
/// test uses, so the lock's outcome is there for its deliverer, as with the real stores' one
/// database.
final class InMemorySessionStateStore: SessionStateStore {
    /// What the database holds for a session; `createdAt` is for the purge.
    private struct Row {
        var state: SessionState
        var createdAt: Date
    }

    /// Every session's row. One lock for all, held across a whole attempt (comparison and outbox
    /// insert included), which serialises attempts as the real stores' transactions do.
    private let rows = Mutex<[String: Row]>([:])
    /// Where a lock's outcome goes.
    let outbox: InMemoryOutboxStore
    /// When set, every call fails with it (a database that went away); the outbox's `failure`
    /// fails these calls too, the two being one database.
    let failure = Mutex<(any Error)?>(nil)

    init(outbox: InMemoryOutboxStore = InMemoryOutboxStore()) {
        self.outbox = outbox
    }

    private func check() throws {
        if let error = failure.withLock({ $0 }) ?? outbox.failure.withLock({ $0 }) { throw error }
    }

    func state(sessionId: String) async throws -> SessionState? {
        try check()
        return rows.withLock { $0[sessionId]?.state }
    }

    func recordOpening(sessionId: String, formId: String, at: Date) async throws -> SessionState {
        try check()
        return rows.withLock { rows in
            var row = rows[sessionId] ?? Self.newRow(sessionId, at: at)
            if row.state.firstOpenedAt == nil {
                row.state.formId = formId
                row.state.firstOpenedAt = at
            }
            rows[sessionId] = row
            return row.state
        }
    }

    func attemptVerification(
        sessionId: String,
        maxAttempts: Int,
        lockedOutcome: NewOutcome,
        at: Date,
        isCorrect: @Sendable () -> Bool
    ) async throws -> VerificationAttempt {
        try check()
        return rows.withLock { rows in
            var row = rows[sessionId] ?? Self.newRow(sessionId, at: at)
            defer { rows[sessionId] = row }
            if row.state.lockedAt != nil { return .locked }
            if isCorrect() { return .verified }
            row.state.verificationFailures += 1
            let result = VerificationAttempt.afterWrongAnswer(failures: row.state.verificationFailures, maxAttempts: maxAttempts)
            if result == .lockedNow {
                row.state.lockedAt = at
                var outcome = lockedOutcome
                outcome.kind = .locked
                // .alreadyConsumed when the session has its outcome: the lock stands all the same.
                _ = outbox.insert(outcome, claimedUntil: nil)
            }
            return result
        }
    }

    func purgeStates(createdBefore before: Date) async throws -> Int {
        try check()
        return rows.withLock { rows in
            let count = rows.count
            rows = rows.filter { $0.value.createdAt >= before }
            return count - rows.count
        }
    }

    private static func newRow(_ sessionId: String, at: Date) -> Row {
        Row(state: SessionState(sessionId: sessionId, formId: nil, firstOpenedAt: nil, verificationFailures: 0, lockedAt: nil), createdAt: at)
    }
}
