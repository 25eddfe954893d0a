public import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Sessions' verification and expiry state in PostgreSQL, next to the outbox: several instances
/// share it.
///
/// The same behaviour as ``SQLiteSessionStateStore`` (both pass `SessionStateStoreContract`). A
/// verification attempt is one transaction that locks the session's row (`SELECT … FOR UPDATE`),
/// so attempts on any instance are compared one at a time, each seeing the failures the one
/// before it committed; the lock and its outcome commit together. Times are BIGINT milliseconds
/// since 1970 (``StoredTime``), as in the outbox.
public struct PostgresSessionStateStore: SessionStateStore {
    /// Its SQL runs on this: the outbox's pool, the query timeout and the schema.
    let database: PostgresDatabase

    init(database: PostgresDatabase) {
        self.database = database
    }

    public func state(sessionId: String) async throws -> SessionState? {
        try Self.states(await database.rows("SELECT \(unescaped: SessionState.columns) FROM session_state WHERE session_id = \(sessionId)"))
            .first
    }

    public func recordOpening(sessionId: String, formId: String, at: Date) async throws -> SessionState {
        let now = StoredTime.millis(at)
        // A row without an opening (a verification attempt came first) gets this one; a row with
        // one keeps it and the upsert returns nothing. The conflict waits for a concurrent first
        // opening to commit, so the SELECT after it (a statement of its own, with a snapshot taken
        // after that commit) reads the opening that won. Only the retention purge deleting the row
        // in between could leave nothing to read: then the upsert runs again.
        for _ in 0..<3 {
            let recorded = try await database.rows(
                """
                INSERT INTO session_state (session_id, form_id, first_opened_at, created_at)
                VALUES (\(sessionId), \(formId), \(now), \(now))
                ON CONFLICT (session_id) DO UPDATE SET form_id = EXCLUDED.form_id, first_opened_at = EXCLUDED.first_opened_at
                WHERE session_state.first_opened_at IS NULL
                RETURNING \(unescaped: SessionState.columns)
                """
            )
            if let state = try Self.states(recorded).first { return state }
            if let state = try await state(sessionId: sessionId) { return state }
        }
        throw OutboxStoreError.unreadableSessionState(reason: "the row was deleted as often as it was written")
    }

    public func attemptVerification(
        sessionId: String,
        maxAttempts: Int,
        lockedOutcome: NewOutcome,
        at: Date,
        isCorrect: @Sendable () -> Bool
    ) async throws -> VerificationAttempt {
        var outcome = lockedOutcome
        outcome.kind = .locked
        let insertLocked = try PostgresOutboxStore.insertion(outcome, claimedUntil: nil)
        let now = StoredTime.millis(at)
        let logger = database.logger
        // The wait for another attempt's row lock ends with an error after the store's timeout,
        // on the server: the client-side timeout cannot interrupt a statement under way, and an
        // instance that vanished mid-transaction would otherwise hold every later attempt (and its
        // pool connection) until the server notices.
        let lockTimeout = "\(Int64(database.timeout.inSeconds * 1000))ms"
        return try await Lent.lend(isCorrect) { isCorrect in
            try await database.transaction { connection in
                try await connection.query("SELECT set_config('lock_timeout', \(lockTimeout), true)", logger: logger)
                try await connection.query(
                    "INSERT INTO session_state (session_id, created_at) VALUES (\(sessionId), \(now)) ON CONFLICT (session_id) DO NOTHING",
                    logger: logger
                )
                // The session's lock: held until COMMIT, so the next attempt (on any instance)
                // reads the failures this one writes.
                let locked = try await connection.query(
                    "SELECT \(unescaped: SessionState.columns) FROM session_state WHERE session_id = \(sessionId) FOR UPDATE",
                    logger: logger
                )
                .collect()
                guard let state = try Self.states(locked).first else {
                    throw OutboxStoreError.unreadableSessionState(reason: "the row just written is not there")
                }
                if state.lockedAt != nil { return .locked }
                if isCorrect() { return .verified }
                let failures = state.verificationFailures + 1
                let result = VerificationAttempt.afterWrongAnswer(failures: failures, maxAttempts: maxAttempts)
                if result == .lockedNow {
                    try await connection.query(
                        "UPDATE session_state SET verification_failures = \(failures), locked_at = \(now) WHERE session_id = \(sessionId)",
                        logger: logger
                    )
                    // No row when the session has an outcome already (a submit got there first):
                    // the lock stands, and the session keeps its one outcome.
                    try await connection.query(insertLocked, logger: logger)
                } else {
                    try await connection.query(
                        "UPDATE session_state SET verification_failures = \(failures) WHERE session_id = \(sessionId)",
                        logger: logger
                    )
                }
                return result
            }
        }
    }

    public func purgeStates(createdBefore before: Date) async throws -> Int {
        try await database.rows("DELETE FROM session_state WHERE created_at < \(StoredTime.millis(before)) RETURNING session_id").count
    }

    private static func states(_ rows: some Sequence<PostgresRow>) throws -> [SessionState] {
        try rows.map { try SessionState(row: $0.makeRandomAccess()) }
    }
}

/// `isCorrect`, lent to the transaction: ``PostgresDatabase/transaction(_:)`` runs its body in a
/// child task (to race it against the timeout), which needs an escaping closure, while the
/// protocol's `isCorrect` is not escaping. The transaction is over before `lend` returns (a task
/// group waits for its children, the timed-out one too), and `lend` takes the closure back then,
/// so it is never called after its caller returned.
private final class Lent: Sendable {
    private let closure: Mutex<(@Sendable () -> Bool)?>

    private init(_ closure: @escaping @Sendable () -> Bool) {
        self.closure = Mutex(closure)
    }

    static func lend<Value>(
        _ closure: @Sendable () -> Bool,
        to body: (_ lent: @escaping @Sendable () -> Bool) async throws -> Value
    ) async throws -> Value {
        try await withoutActuallyEscaping(closure) { escapable in
            let lent = Lent(escapable)
            defer { lent.closure.withLock { $0 = nil } }
            return try await body { lent.call() }
        }
    }

    private func call() -> Bool {
        guard let closure = closure.withLock({ $0 }) else { preconditionFailure("isCorrect called after its attempt returned") }
        return closure()
    }
}
