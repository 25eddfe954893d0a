import AlvariaModels
public import Foundation
public import Logging
public import PostgresNIO

/// The outbox in PostgreSQL: several instances share one database.
///
/// The same behaviour as ``SQLiteOutboxStore`` (both pass `OutboxStoreContract`): the UNIQUE
/// `session_id` makes a session one-shot (`INSERT … ON CONFLICT DO NOTHING`), and deliverers
/// on any instance claim due entries with `FOR UPDATE SKIP LOCKED` plus a lease in
/// `claimed_until`, so two instances never post one outcome at once and an instance that dies
/// mid-delivery leaves its claim to expire. Times are BIGINT milliseconds since 1970, as in SQLite,
/// so both stores compare and round exactly alike.
public struct PostgresOutboxStore: OutboxStore {
    /// Its SQL runs on this: the pool, the query timeout and the schema.
    let database: PostgresDatabase
    /// The pool; a `Service` that must run in the application's ServiceGroup.
    public var client: PostgresClient { database.client }

    init(database: PostgresDatabase) {
        self.database = database
    }

    /// `timeout` is the longest any call may take, a wait for a connection included.
    public init(client: PostgresClient, logger: Logger, timeout: Duration = .seconds(5)) {
        self.init(database: PostgresDatabase(client: client, logger: logger, timeout: timeout))
    }

    public func enqueue(_ outcome: NewOutcome, claimedUntil: Date) async throws -> EnqueueResult {
        let found = try await database.rows(try Self.insertion(outcome, claimedUntil: claimedUntil))
        guard let entry = try Self.entries(found).first else { return .alreadyConsumed }
        return .stored(entry)
    }

    /// The one INSERT of an outcome: ``enqueue(_:claimedUntil:)`` runs it on its own, the
    /// verification lock (``PostgresSessionStateStore``) inside the transaction that locks the
    /// session. Queued, due at its creation, claimed until `claimedUntil` (nil: free for the next
    /// deliverer's claim). Returns the entry's ``OutboxEntry/columns``, or no row when the session
    /// has its outcome already.
    ///
    /// The session's draft (``PostgresDraftStore``) ends in the same statement, a data-modifying
    /// `WITH` that PostgreSQL runs to completion whether or not the outcome was stored (a consumed
    /// session has no use for a draft either way): a stored outcome leaves no answers behind in a
    /// draft, and enqueueing stays one round trip.
    static func insertion(_ outcome: NewOutcome, claimedUntil: Date?) throws -> PostgresQuery {
        let (variables, sensitive) = try OutboxJSON.encode(outcome.variables, sensitive: outcome.sensitiveVariables)
        let created = StoredTime.millis(outcome.createdAt)
        let claim = claimedUntil.map(StoredTime.millis)
        // The unique constraint decides, inside one statement: concurrent submits cannot both pass.
        return """
            WITH stored AS (
                INSERT INTO outbox (
                    session_id, form_id, form_version, kind, variables, sensitive_values, state, attempts, created_at, next_attempt_at,
                    claimed_until)
                VALUES (
                    \(outcome.sessionId), \(outcome.formId), \(outcome.formVersion), \(outcome.kind.rawValue), \(variables), \(sensitive), 'queued', 0,
                    \(created), \(created), \(claim))
                ON CONFLICT (session_id) DO NOTHING
                RETURNING \(unescaped: OutboxEntry.columns)
            ), ended_draft AS (
                DELETE FROM drafts WHERE session_id = \(outcome.sessionId)
            )
            SELECT \(unescaped: OutboxEntry.columns) FROM stored
            """
    }

    public func isConsumed(sessionId: String) async throws -> Bool {
        let found = try await database.rows("SELECT EXISTS (SELECT 1 FROM outbox WHERE session_id = \(sessionId))")
        return try found.first?.decode(Bool.self) ?? false
    }

    public func claimDue(now: Date, limit: Int, claimUntil: Date) async throws -> [OutboxEntry] {
        let now = StoredTime.millis(now)
        // SKIP LOCKED: a concurrent claimer on another instance passes over the rows this one
        // is taking instead of waiting for them, and the lease keeps them ours after the commit.
        let found = try await database.rows(
            """
            UPDATE outbox SET claimed_until = \(StoredTime.millis(claimUntil))
            WHERE id IN (
                SELECT id FROM outbox
                WHERE state = 'queued' AND next_attempt_at <= \(now) AND (claimed_until IS NULL OR claimed_until < \(now))
                ORDER BY next_attempt_at, id
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED)
            RETURNING \(unescaped: OutboxEntry.columns)
            """
        )
        return try Self.entries(found).sortedDueFirst()
    }

    public func markDelivered(id: Int64, at: Date) async throws {
        try await database.rows(
            """
            UPDATE outbox SET state = 'delivered', attempts = attempts + 1, delivered_at = \(StoredTime.millis(at)),
                next_attempt_at = NULL, claimed_until = NULL, sensitive_values = NULL
            WHERE id = \(id)
            """
        )
    }

    public func markFailed(id: Int64, reason: String, at: Date) async throws {
        try await database.rows(
            """
            UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = \(reason), failed_at = \(StoredTime.millis(at)),
                next_attempt_at = NULL, claimed_until = NULL
            WHERE id = \(id) AND state = 'queued'
            """
        )
    }

    public func scheduleRetry(id: Int64, attempts: Int, nextAttemptAt: Date, lastError: String) async throws {
        try await database.rows(
            """
            UPDATE outbox SET attempts = \(attempts), next_attempt_at = \(StoredTime.millis(nextAttemptAt)), last_error = \(lastError),
                claimed_until = NULL
            WHERE id = \(id) AND state = 'queued'
            """
        )
    }

    public func entry(id: Int64) async throws -> OutboxEntry? {
        try Self.entries(await database.rows("SELECT \(unescaped: OutboxEntry.columns) FROM outbox WHERE id = \(id)")).first
    }

    public func entries(state: OutboxState?, limit: Int) async throws -> [OutboxEntry] {
        let found =
            if let state {
                try await database.rows(
                    "SELECT \(unescaped: OutboxEntry.columns) FROM outbox WHERE state = \(state.rawValue) ORDER BY id DESC LIMIT \(limit)"
                )
            } else {
                try await database.rows("SELECT \(unescaped: OutboxEntry.columns) FROM outbox ORDER BY id DESC LIMIT \(limit)")
            }
        return try Self.entries(found)
    }

    public func counts() async throws -> [OutboxState: Int] {
        var counts = Dictionary(uniqueKeysWithValues: OutboxState.allCases.map { ($0, 0) })
        for row in try await database.rows("SELECT state, COUNT(*) FROM outbox GROUP BY state") {
            let (state, count) = try row.decode((String, Int64).self)
            if let state = OutboxState(rawValue: state) { counts[state] = Int(count) }
        }
        return counts
    }

    public func requeue(id: Int64, now: Date) async throws -> Bool {
        let found = try await database.rows(
            """
            UPDATE outbox SET state = 'queued', next_attempt_at = \(StoredTime.millis(now)), failed_at = NULL,
                claimed_until = CASE WHEN claimed_until >= \(StoredTime.millis(now)) THEN claimed_until END
            WHERE id = \(id) AND state IN ('queued', 'failed')
            RETURNING id
            """
        )
        return !found.isEmpty
    }

    public func purgeDelivered(before: Date) async throws -> Int {
        let found = try await database.rows(
            "DELETE FROM outbox WHERE state = 'delivered' AND delivered_at < \(StoredTime.millis(before)) RETURNING id"
        )
        return found.count
    }

    public func eraseDeliveredValues(before: Date) async throws -> Int {
        let found = try await database.rows(
            """
            UPDATE outbox SET variables = NULL, sensitive_values = NULL
            WHERE state = 'delivered' AND delivered_at < \(StoredTime.millis(before)) AND variables IS NOT NULL
            RETURNING id
            """
        )
        return found.count
    }

    public func ping() async throws {
        // Touches the table, not just the connection: a dropped schema fails readiness too.
        _ = try await database.rows("SELECT 1 FROM outbox LIMIT 1")
    }

    // MARK: Rows

    private static func entries(_ rows: [PostgresRow]) throws -> [OutboxEntry] {
        try rows.map { try OutboxEntry(row: $0.makeRandomAccess()) }
    }
}
