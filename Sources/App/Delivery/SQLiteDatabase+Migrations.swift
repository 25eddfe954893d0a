import GRDB

extension SQLiteDatabase {
    /// The schema, one versioned migration at a time; applied migrations are never edited.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-outbox") { db in
            // session_id UNIQUE is the one-shot guarantee: the row is both the outcome and the mark
            // that the session is consumed, so storing one is consuming the other in one statement.
            // Times are INTEGER milliseconds since 1970 (StoredTime). `variables` is the JSON list
            // sent to Alvaria, NULL once purged; the row's metadata stays. `failed_at` is not in
            // OutboxEntry: it is there for the retention purge of failed outcomes.
            try db.execute(
                sql: """
                    CREATE TABLE outbox (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        session_id TEXT NOT NULL UNIQUE,
                        form_id TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('submitted', 'declined')),
                        variables TEXT,
                        state TEXT NOT NULL CHECK (state IN ('queued', 'delivered', 'failed')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        created_at INTEGER NOT NULL,
                        next_attempt_at INTEGER,
                        claimed_until INTEGER,
                        delivered_at INTEGER,
                        failed_at INTEGER,
                        last_error TEXT
                    );
                    -- The deliverer's due query: only queued rows, in due order. Partial, so delivered
                    -- history does not slow it down.
                    CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 'queued';
                    -- Listings and counts by state (SQLite appends the rowid, so ORDER BY id is free).
                    CREATE INDEX outbox_state ON outbox (state);
                    """
            )
        }
        migrator.registerMigration("v2-sensitive-values") { db in
            // The values of sensitive fields, apart from `variables` so that erasing them when
            // the outcome is delivered is one NULL (OutboxJSON).
            try db.execute(sql: "ALTER TABLE outbox ADD COLUMN sensitive_values TEXT")
        }
        return migrator
    }
}
