import Logging
import PostgresNIO

extension PostgresDatabase {
    /// The schema, one versioned migration at a time; applied migrations are never edited.
    static let migrations: [(version: String, sql: [PostgresQuery])] = [
        (
            "v1-outbox",
            [
                // See SQLiteOutboxStore's v1-outbox: the same table, column for column.
                """
                CREATE TABLE outbox (
                    id BIGSERIAL PRIMARY KEY,
                    session_id TEXT NOT NULL UNIQUE,
                    form_id TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('submitted', 'declined')),
                    variables TEXT,
                    state TEXT NOT NULL CHECK (state IN ('queued', 'delivered', 'failed')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    created_at BIGINT NOT NULL,
                    next_attempt_at BIGINT,
                    claimed_until BIGINT,
                    delivered_at BIGINT,
                    failed_at BIGINT,
                    last_error TEXT
                )
                """,
                "CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE state = 'queued'",
                "CREATE INDEX outbox_state ON outbox (state, id)",
            ]
        ),
        (
            // See SQLiteOutboxStore's v2-sensitive-values.
            "v2-sensitive-values",
            ["ALTER TABLE outbox ADD COLUMN sensitive_values TEXT"]
        ),
    ]

    /// An arbitrary constant: the advisory lock that serialises migrations across instances.
    private static let migrationLock: Int64 = 7_263_001_042

    /// Applies the migrations not yet applied, in one transaction under an advisory lock, so
    /// several instances starting together neither race nor apply one twice.
    func migrate() async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                logger: logger
            )
            var applied: Set<String> = []
            for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger).decode(String.self) {
                applied.insert(version)
            }
            for migration in Self.migrations where !applied.contains(migration.version) {
                for statement in migration.sql {
                    try await connection.query(statement, logger: logger)
                }
                try await connection.query("INSERT INTO schema_migrations (version) VALUES (\(migration.version))", logger: logger)
                logger.notice("Database migration applied", metadata: ["database.migration": "\(migration.version)"])
            }
        }
    }

    /// The versions applied, oldest first (for tests and operators).
    func appliedMigrations() async throws -> [String] {
        var versions: [String] = []
        let rows = try await client.query("SELECT version FROM schema_migrations ORDER BY applied_at, version", logger: logger)
        for try await version in rows.decode(String.self) { versions.append(version) }
        return versions
    }
}
