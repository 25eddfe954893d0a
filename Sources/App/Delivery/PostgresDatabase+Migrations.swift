import Logging
import PostgresNIO

extension PostgresDatabase {
    /// An arbitrary constant: the advisory lock that serialises migrations across instances.
    private static let migrationLock: Int64 = 7_263_001_042

    /// Applies ``DatabaseSchema``'s migrations not yet applied, in one transaction under an
    /// advisory lock, so several instances starting together neither race nor apply one twice.
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
            for migration in DatabaseSchema.migrations where !applied.contains(migration.version) {
                for statement in migration.postgres {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO schema_migrations (version) VALUES (\(migration.version))", logger: logger)
                logger.notice("Database migration applied", metadata: ["database.migration": "\(migration.version)"])
            }
        }
    }

    /// The versions applied, oldest first (for tests and operators).
    func appliedMigrations() async throws -> [String] {
        var applied: Set<String> = []
        let rows = try await client.query("SELECT version FROM schema_migrations", logger: logger)
        for try await version in rows.decode(String.self) { applied.insert(version) }
        // In the list's order: migrations applied in one transaction share applied_at, and
        // version names do not sort ("v10-…" < "v2-…"). Unknown ones (a newer app's) come last.
        let known = DatabaseSchema.migrations.map(\.version).filter(applied.contains)
        return known + applied.subtracting(known).sorted()
    }
}
