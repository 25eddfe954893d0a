public import Foundation
import GRDB

/// Sessions' verification and expiry state in the embedded SQLite file, next to the outbox.
///
/// Its SQL over the outbox's ``SQLiteDatabase``. Every write goes through the pool's one writer
/// connection, in an IMMEDIATE transaction (GRDB's default for writes), which takes the file's
/// write lock at BEGIN: a verification attempt's read, comparison and update cannot interleave with
/// another's, in this process or another one on the same file (that one waits for the lock, up to
/// the busy timeout). Times are INTEGER milliseconds since 1970 (``StoredTime``).
public struct SQLiteSessionStateStore: SessionStateStore {
    let database: SQLiteDatabase
    private var pool: DatabasePool { database.pool }

    init(database: SQLiteDatabase) {
        self.database = database
    }

    /// Read on the calling thread, like ``SQLiteOutboxStore/isConsumed(sessionId:)`` and for the
    /// same reason: every page load may ask, an indexed lookup in WAL mode takes microseconds and
    /// never waits for the writer, and GRDB's asynchronous read costs several times the query.
    public func state(sessionId: String) async throws -> SessionState? {
        try stateNow(sessionId)
    }

    private func stateNow(_ sessionId: String) throws -> SessionState? {
        try pool.read { db in try Self.state(sessionId, in: db) }
    }

    public func recordOpening(sessionId: String, formId: String, at: Date) async throws -> SessionState {
        let now = StoredTime.millis(at)
        return try await pool.write { db in
            // A row without an opening (a verification attempt came first) gets this one; a row
            // with one keeps it. Then read what stands, in the same transaction.
            try db.execute(
                sql: """
                    INSERT INTO session_state (session_id, form_id, first_opened_at, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (session_id) DO UPDATE SET form_id = excluded.form_id, first_opened_at = excluded.first_opened_at
                    WHERE session_state.first_opened_at IS NULL
                    """,
                arguments: [sessionId, formId, now, now]
            )
            guard let state = try Self.state(sessionId, in: db) else {
                throw OutboxStoreError.unreadableSessionState(reason: "the row just written is not there")
            }
            return state
        }
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
        let insertLocked = try SQLiteOutboxStore.insertion(outcome, claimedUntil: nil)
        let now = StoredTime.millis(at)
        // All in the writer's one transaction: the comparison sees the failures as they stand, and
        // the lock and its outcome are stored together or not at all.
        return try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO session_state (session_id, created_at) VALUES (?, ?) ON CONFLICT (session_id) DO NOTHING",
                arguments: [sessionId, now]
            )
            guard let state = try Self.state(sessionId, in: db) else {
                throw OutboxStoreError.unreadableSessionState(reason: "the row just written is not there")
            }
            if state.lockedAt != nil { return .locked }
            if isCorrect() { return .verified }
            let failures = state.verificationFailures + 1
            let result = VerificationAttempt.afterWrongAnswer(failures: failures, maxAttempts: maxAttempts)
            if result == .lockedNow {
                try db.execute(
                    sql: "UPDATE session_state SET verification_failures = ?, locked_at = ? WHERE session_id = ?",
                    arguments: [failures, now, sessionId]
                )
                // Nil when the session has an outcome already (a submit got there first): the
                // lock stands, and the session keeps its one outcome.
                _ = try insertLocked(db)
            } else {
                try db.execute(sql: "UPDATE session_state SET verification_failures = ? WHERE session_id = ?", arguments: [failures, sessionId])
            }
            return result
        }
    }

    public func purgeStates(createdBefore before: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM session_state WHERE created_at < ?", arguments: [StoredTime.millis(before)])
            return db.changesCount
        }
    }

    private static func state(_ sessionId: String, in db: Database) throws -> SessionState? {
        let statement = try db.cachedStatement(sql: "SELECT \(SessionState.columns) FROM session_state WHERE session_id = ?")
        return try Row.fetchOne(statement, arguments: [sessionId]).map(SessionState.init(row:))
    }
}
