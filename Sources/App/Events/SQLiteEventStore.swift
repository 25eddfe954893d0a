public import Foundation
import GRDB

/// The live event feed's outbox in the embedded SQLite file, next to the outcomes' outbox.
///
/// Its SQL over the outbox's ``SQLiteDatabase``. Every write goes through the pool's one writer
/// connection, which is what makes ``claimDue(now:limit:claimUntil:)``'s select-and-claim atomic.
/// Times are INTEGER milliseconds since 1970 (``StoredTime``).
public struct SQLiteEventStore: EventStore {
    let database: SQLiteDatabase
    private var pool: DatabasePool { database.pool }

    init(database: SQLiteDatabase) {
        self.database = database
    }

    public func record(_ event: NewEvent) async throws {
        let created = StoredTime.millis(event.createdAt)
        try await pool.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO events (webhook_id, session_id, type, body, state, attempts, created_at, next_attempt_at)
                    VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)
                    """
            )
            try statement.execute(arguments: [event.webhookId, event.sessionId, event.type.rawValue, event.body, created, created])
        }
    }

    public func claimDue(now: Date, limit: Int, claimUntil: Date) async throws -> [StoredEvent] {
        try await pool.write { db in
            // One UPDATE … RETURNING in the writer's transaction: selecting and claiming cannot be
            // split by another claimer. The NOT EXISTS keeps every event but a session's oldest
            // pending one back, claimed or not: that is the order per session.
            try Row.fetchAll(
                db,
                sql: """
                    UPDATE events SET claimed_until = :claimUntil
                    WHERE id IN (
                        SELECT e.id FROM events e
                        WHERE e.state = 'pending' AND e.next_attempt_at <= :now
                            AND (e.claimed_until IS NULL OR e.claimed_until < :now)
                            AND NOT EXISTS (
                                SELECT 1 FROM events earlier
                                WHERE earlier.session_id = e.session_id AND earlier.state = 'pending' AND earlier.id < e.id)
                        ORDER BY e.next_attempt_at, e.id
                        LIMIT :limit)
                    RETURNING \(StoredEvent.columns)
                    """,
                arguments: ["claimUntil": StoredTime.millis(claimUntil), "now": StoredTime.millis(now), "limit": limit]
            ).map(StoredEvent.init(row:))
        }
        .sortedDueFirst()
    }

    public func markDelivered(id: Int64, at: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE events SET state = 'delivered', attempts = attempts + 1, finished_at = ?,
                        next_attempt_at = NULL, claimed_until = NULL, last_error = NULL
                    WHERE id = ?
                    """,
                arguments: [StoredTime.millis(at), id]
            )
        }
    }

    public func markAbandoned(id: Int64, reason: String, at: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE events SET state = 'abandoned', attempts = attempts + 1, last_error = ?, finished_at = ?,
                        next_attempt_at = NULL, claimed_until = NULL
                    WHERE id = ? AND state = 'pending'
                    """,
                arguments: [reason, StoredTime.millis(at), id]
            )
        }
    }

    public func scheduleRetry(id: Int64, attempts: Int, nextAttemptAt: Date, lastError: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE events SET attempts = ?, next_attempt_at = ?, last_error = ?, claimed_until = NULL
                    WHERE id = ? AND state = 'pending'
                    """,
                arguments: [attempts, StoredTime.millis(nextAttemptAt), lastError, id]
            )
        }
    }

    public func events(state: EventState?, limit: Int) async throws -> [StoredEvent] {
        try await pool.read { db in
            let rows =
                if let state {
                    try Row.fetchAll(
                        db,
                        sql: "SELECT \(StoredEvent.columns) FROM events WHERE state = ? ORDER BY id LIMIT ?",
                        arguments: [state.rawValue, limit]
                    )
                } else {
                    try Row.fetchAll(db, sql: "SELECT \(StoredEvent.columns) FROM events ORDER BY id LIMIT ?", arguments: [limit])
                }
            return try rows.map(StoredEvent.init(row:))
        }
    }

    public func counts() async throws -> [EventState: Int] {
        try await pool.read { db in
            var counts = Dictionary(uniqueKeysWithValues: EventState.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM events GROUP BY state") {
                if let state = EventState(rawValue: try row.decode(String.self, forColumn: "state")) {
                    counts[state] = try row.decode(Int.self, forColumn: "n")
                }
            }
            return counts
        }
    }

    public func purgeFinished(before: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(
                sql: "DELETE FROM events WHERE state IN ('delivered', 'abandoned') AND finished_at < ?",
                arguments: [StoredTime.millis(before)]
            )
            return db.changesCount
        }
    }
}
