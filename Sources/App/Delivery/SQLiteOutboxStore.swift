import AlvariaModels
public import Foundation
import GRDB

/// The outbox in an embedded SQLite file: the default store, for a single instance.
///
/// Its SQL over an ``SQLiteDatabase``, which holds the pool and the schema. Every write goes
/// through the pool's one writer connection, which is what makes
/// ``claimDue(now:limit:claimUntil:)`` atomic; the UNIQUE `session_id` column is what makes
/// a session one-shot. Times are INTEGER milliseconds since 1970 (see ``StoredTime``).
public struct SQLiteOutboxStore: OutboxStore {
    let database: SQLiteDatabase
    private var pool: DatabasePool { database.pool }
    /// The file, as configured; for messages.
    public var path: String { database.path }

    init(database: SQLiteDatabase) {
        self.database = database
    }

    /// Opens (or creates) the database file and brings its schema up to date; see
    /// ``SQLiteDatabase/open(path:busyTimeout:)`` for what it reports when it cannot.
    public static func open(path: String) throws(StartupError) -> SQLiteOutboxStore {
        SQLiteOutboxStore(database: try SQLiteDatabase.open(path: path))
    }

    /// ``open(path:)`` with the lock wait as a parameter, so a test of a locked file is quick.
    static func open(path: String, busyTimeout: TimeInterval) throws(StartupError) -> SQLiteOutboxStore {
        SQLiteOutboxStore(database: try SQLiteDatabase.open(path: path, busyTimeout: busyTimeout))
    }

    /// Closes the connections; later calls fail. The pool also closes when the last copy goes.
    public func close() throws {
        try database.close()
    }

    public func enqueue(_ outcome: NewOutcome, claimedUntil: Date) async throws -> EnqueueResult {
        let insert = try Self.insertion(outcome, claimedUntil: claimedUntil)
        let entry = try await pool.write { db in try insert(db) }
        return entry.map(EnqueueResult.stored) ?? .alreadyConsumed
    }

    /// The one INSERT of an outcome, to run inside a write transaction: ``enqueue(_:claimedUntil:)``'s,
    /// and the verification lock's (``SQLiteSessionStateStore``), which stores the locked outcome in
    /// the transaction that locks the session. Queued, due at its creation, claimed until
    /// `claimedUntil` (nil: free for the deliverer's next poll). The insert returns nil when the
    /// session has its outcome already.
    ///
    /// The session's draft (``SQLiteDraftStore``) ends here, in the same transaction: a stored
    /// outcome leaves no answers behind in a draft. Deleted whether or not this insert stored the
    /// outcome: a consumed session has no use for one either way.
    ///
    /// The JSON is encoded here, before the write: every write waits for the one writer, so the
    /// writer does no more than the SQL.
    static func insertion(_ outcome: NewOutcome, claimedUntil: Date?) throws -> @Sendable (Database) throws -> OutboxEntry? {
        let (variables, sensitive) = try OutboxJSON.encode(outcome.variables, sensitive: outcome.sensitiveVariables)
        let created = StoredTime.millis(outcome.createdAt)
        let claimed = claimedUntil.map(StoredTime.millis)
        return { db in
            // ON CONFLICT on the unique session_id: the constraint decides (rather than looking first),
            // which is what keeps concurrent submits from both getting through; a conflict returns no row.
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO outbox (
                        session_id, form_id, form_version, kind, variables, sensitive_values, state, attempts, created_at, next_attempt_at,
                        claimed_until)
                    VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?)
                    ON CONFLICT (session_id) DO NOTHING
                    RETURNING id
                    """
            )
            let id = try Int64.fetchOne(
                statement,
                arguments: [
                    outcome.sessionId, outcome.formId, outcome.formVersion, outcome.kind.rawValue, variables, sensitive, created, created,
                    claimed,
                ]
            )
            try db.cachedStatement(sql: "DELETE FROM drafts WHERE session_id = ?").execute(arguments: [outcome.sessionId])
            guard let id else { return nil }
            // The row is exactly what was inserted: build the entry from it rather than reading the
            // row back, which decoded the variables' JSON just encoded (3 % of a submit's CPU).
            return OutboxEntry(
                id: id,
                sessionId: outcome.sessionId,
                formId: outcome.formId,
                formVersion: outcome.formVersion,
                kind: outcome.kind,
                variables: outcome.variables,
                state: .queued,
                attempts: 0,
                createdAt: StoredTime.date(created),
                nextAttemptAt: StoredTime.date(created),
                claimedUntil: claimed.map(StoredTime.date),
                deliveredAt: nil,
                lastError: nil
            )
        }
    }

    /// Read on the calling thread (every page load asks): an indexed lookup in WAL mode takes
    /// microseconds and never waits for the writer, while GRDB's asynchronous read hands the work to
    /// a dispatch queue and back, which cost five times the query (perf: 334 -> 251 us of CPU per
    /// form page with this and the cached statement).
    public func isConsumed(sessionId: String) async throws -> Bool {
        try consumedNow(sessionId)
    }

    private func consumedNow(_ sessionId: String) throws -> Bool {
        try pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM outbox WHERE session_id = ?)")
            return try Bool.fetchOne(statement, arguments: [sessionId]) ?? false
        }
    }

    public func claimDue(now: Date, limit: Int, claimUntil: Date) async throws -> [OutboxEntry] {
        let entries = try await pool.write { db in
            // One UPDATE … RETURNING in the writer's transaction: selecting and claiming cannot be
            // split by another claimer. The literal 'queued' lets SQLite use the partial index.
            try Row.fetchAll(
                db,
                sql: """
                    UPDATE outbox SET claimed_until = :claimUntil
                    WHERE id IN (
                        SELECT id FROM outbox
                        WHERE state = 'queued' AND next_attempt_at <= :now
                            AND (claimed_until IS NULL OR claimed_until < :now)
                        ORDER BY next_attempt_at, id
                        LIMIT :limit)
                    RETURNING \(OutboxEntry.columns)
                    """,
                arguments: ["claimUntil": StoredTime.millis(claimUntil), "now": StoredTime.millis(now), "limit": limit]
            ).map(OutboxEntry.init(row:))
        }
        return entries.sortedDueFirst()
    }

    public func markDelivered(id: Int64, at: Date) async throws {
        let erasedSensitive = try await pool.write { db in
            let hadSensitive =
                try Bool.fetchOne(db, sql: "SELECT sensitive_values IS NOT NULL FROM outbox WHERE id = ?", arguments: [id]) ?? false
            try db.execute(
                sql: """
                    UPDATE outbox SET state = 'delivered', attempts = attempts + 1, delivered_at = ?,
                        next_attempt_at = NULL, claimed_until = NULL, sensitive_values = NULL
                    WHERE id = ?
                    """,
                arguments: [StoredTime.millis(at), id]
            )
            return hadSensitive
        }
        if erasedSensitive { await database.checkpointErasures() }
    }

    public func markFailed(id: Int64, reason: String, at: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?, failed_at = ?,
                        next_attempt_at = NULL, claimed_until = NULL
                    WHERE id = ? AND state = 'queued'
                    """,
                arguments: [reason, StoredTime.millis(at), id]
            )
        }
    }

    public func scheduleRetry(id: Int64, attempts: Int, nextAttemptAt: Date, lastError: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, claimed_until = NULL
                    WHERE id = ? AND state = 'queued'
                    """,
                arguments: [attempts, StoredTime.millis(nextAttemptAt), lastError, id]
            )
        }
    }

    public func entry(id: Int64) async throws -> OutboxEntry? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(OutboxEntry.columns) FROM outbox WHERE id = ?", arguments: [id]).map(OutboxEntry.init(row:))
        }
    }

    public func entries(state: OutboxState?, limit: Int) async throws -> [OutboxEntry] {
        try await pool.read { db in
            let rows =
                if let state {
                    try Row.fetchAll(
                        db,
                        sql: "SELECT \(OutboxEntry.columns) FROM outbox WHERE state = ? ORDER BY id DESC LIMIT ?",
                        arguments: [state.rawValue, limit]
                    )
                } else {
                    try Row.fetchAll(db, sql: "SELECT \(OutboxEntry.columns) FROM outbox ORDER BY id DESC LIMIT ?", arguments: [limit])
                }
            return try rows.map(OutboxEntry.init(row:))
        }
    }

    public func counts() async throws -> [OutboxState: Int] {
        try await pool.read { db in
            var counts = Dictionary(uniqueKeysWithValues: OutboxState.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM outbox GROUP BY state") {
                if let state = OutboxState(rawValue: try row.decode(String.self, forColumn: "state")) {
                    counts[state] = try row.decode(Int.self, forColumn: "n")
                }
            }
            return counts
        }
    }

    public func requeue(id: Int64, now: Date) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET state = 'queued', next_attempt_at = :now, failed_at = NULL,
                        claimed_until = CASE WHEN claimed_until >= :now THEN claimed_until END
                    WHERE id = :id AND state IN ('queued', 'failed')
                    """,
                arguments: ["now": StoredTime.millis(now), "id": id]
            )
            return db.changesCount > 0
        }
    }

    public func purgeDelivered(before: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM outbox WHERE state = 'delivered' AND delivered_at < ?", arguments: [StoredTime.millis(before)])
            return db.changesCount
        }
    }

    public func eraseDeliveredValues(before: Date) async throws -> Int {
        let erased = try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET variables = NULL, sensitive_values = NULL
                    WHERE state = 'delivered' AND delivered_at < ? AND variables IS NOT NULL
                    """,
                arguments: [StoredTime.millis(before)]
            )
            return db.changesCount
        }
        if erased > 0 { await database.checkpointErasures() }
        return erased
    }

    public func ping() async throws {
        // Touches the outbox table, not just the connection: a replaced or emptied file fails here.
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1 FROM outbox LIMIT 1") }
    }
}
