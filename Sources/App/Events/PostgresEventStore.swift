public import Foundation
import PostgresNIO

/// The live event feed's outbox in PostgreSQL, next to the outcomes' outbox: several instances
/// share it, and each runs a sender.
///
/// The same behaviour as ``SQLiteEventStore`` (both pass `EventStoreContract`). Senders on any
/// instance claim with `FOR UPDATE SKIP LOCKED` plus a lease in `claimed_until`, as the outbox
/// does: two senders never post one event at once, and an instance that dies mid-attempt leaves
/// its claim to expire. A session's later event is not claimable while an earlier one is pending
/// (claimed or not), so two senders cannot post one session's events side by side either. Times
/// are BIGINT milliseconds since 1970 (``StoredTime``).
public struct PostgresEventStore: EventStore {
    /// Its SQL runs on this: the outbox's pool, the query timeout and the schema.
    let database: PostgresDatabase

    init(database: PostgresDatabase) {
        self.database = database
    }

    public func record(_ event: NewEvent) async throws {
        let created = StoredTime.millis(event.createdAt)
        try await database.rows(
            """
            INSERT INTO events (webhook_id, session_id, type, body, state, attempts, created_at, next_attempt_at)
            VALUES (\(event.webhookId), \(event.sessionId), \(event.type.rawValue), \(event.body), 'pending', 0, \(created), \(created))
            """
        )
    }

    public func claimDue(now: Date, limit: Int, claimUntil: Date) async throws -> [StoredEvent] {
        let now = StoredTime.millis(now)
        // SKIP LOCKED: a concurrent claimer passes over the rows this one is taking instead of
        // waiting for them; a row claimed meanwhile fails READ COMMITTED's recheck of the WHERE on
        // its new version (claimed_until is then in the future) and is skipped too.
        let found = try await database.rows(
            """
            UPDATE events SET claimed_until = \(StoredTime.millis(claimUntil))
            WHERE id IN (
                SELECT e.id FROM events e
                WHERE e.state = 'pending' AND e.next_attempt_at <= \(now) AND (e.claimed_until IS NULL OR e.claimed_until < \(now))
                    AND NOT EXISTS (
                        SELECT 1 FROM events earlier
                        WHERE earlier.session_id = e.session_id AND earlier.state = 'pending' AND earlier.id < e.id)
                ORDER BY e.next_attempt_at, e.id
                LIMIT \(limit)
                FOR UPDATE OF e SKIP LOCKED)
            RETURNING \(unescaped: StoredEvent.columns)
            """
        )
        return try Self.events(found).sortedDueFirst()
    }

    public func markDelivered(id: Int64, at: Date) async throws {
        try await database.rows(
            """
            UPDATE events SET state = 'delivered', attempts = attempts + 1, finished_at = \(StoredTime.millis(at)),
                next_attempt_at = NULL, claimed_until = NULL, last_error = NULL
            WHERE id = \(id)
            """
        )
    }

    public func markAbandoned(id: Int64, reason: String, at: Date) async throws {
        try await database.rows(
            """
            UPDATE events SET state = 'abandoned', attempts = attempts + 1, last_error = \(reason), finished_at = \(StoredTime.millis(at)),
                next_attempt_at = NULL, claimed_until = NULL
            WHERE id = \(id) AND state = 'pending'
            """
        )
    }

    public func scheduleRetry(id: Int64, attempts: Int, nextAttemptAt: Date, lastError: String) async throws {
        try await database.rows(
            """
            UPDATE events SET attempts = \(attempts), next_attempt_at = \(StoredTime.millis(nextAttemptAt)), last_error = \(lastError),
                claimed_until = NULL
            WHERE id = \(id) AND state = 'pending'
            """
        )
    }

    public func events(state: EventState?, limit: Int) async throws -> [StoredEvent] {
        let found =
            if let state {
                try await database.rows(
                    "SELECT \(unescaped: StoredEvent.columns) FROM events WHERE state = \(state.rawValue) ORDER BY id LIMIT \(limit)"
                )
            } else {
                try await database.rows("SELECT \(unescaped: StoredEvent.columns) FROM events ORDER BY id LIMIT \(limit)")
            }
        return try Self.events(found)
    }

    public func counts() async throws -> [EventState: Int] {
        var counts = Dictionary(uniqueKeysWithValues: EventState.allCases.map { ($0, 0) })
        for row in try await database.rows("SELECT state, COUNT(*) FROM events GROUP BY state") {
            let (state, count) = try row.decode((String, Int64).self)
            if let state = EventState(rawValue: state) { counts[state] = Int(count) }
        }
        return counts
    }

    public func purgeFinished(before: Date) async throws -> Int {
        try await database.rows(
            """
            DELETE FROM events WHERE state IN ('delivered', 'abandoned') AND finished_at < \(StoredTime.millis(before))
            RETURNING id
            """
        )
        .count
    }

    private static func events(_ rows: [PostgresRow]) throws -> [StoredEvent] {
        try rows.map { try StoredEvent(row: $0.makeRandomAccess()) }
    }
}
