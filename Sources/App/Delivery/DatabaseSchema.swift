/// One versioned change to the database's schema, in both dialects.
struct SchemaMigration: Sendable {
    /// What each database records as applied (GRDB's `grdb_migrations`, PostgreSQL's
    /// `schema_migrations`): never renamed, or existing databases would run it again.
    let version: String
    /// Statements run in order, in the migration's one transaction.
    let sqlite: [String]
    let postgres: [String]
}

/// The schema of the app's database, SQLite or PostgreSQL: one versioned list for every table.
///
/// Each migration is written once, both dialects side by side and its comments above it;
/// ``SQLiteDatabase`` registers the list into GRDB's migrator, ``PostgresDatabase`` runs it under
/// its advisory lock. Applied migrations are never edited: a change is a new migration at the end.
///
/// Adding a table (drafts, verification attempts, files…) to the database the outbox lives in:
/// 1. append a `vN-…` migration here that creates it in both dialects (the schema test checks
///    that both databases end up with the same columns and indexes);
/// 2. give its row type a column list and an `init(row: some StoredRow)`, like ``OutboxEntry``;
/// 3. write its stores, e.g. `SQLiteDraftStore` holding an ``SQLiteDatabase`` and
///    `PostgresDraftStore` holding a ``PostgresDatabase``, with only their own SQL, and open them
///    on the same database as the outbox.
enum DatabaseSchema {
    static let migrations: [SchemaMigration] = [
        // The outbox. session_id UNIQUE is the one-shot guarantee: the row is both the outcome and
        // the mark that the session is consumed, so storing one is consuming the other in one
        // statement. Times are milliseconds since 1970 (StoredTime). `variables` is the JSON list
        // sent to Alvaria, NULL once purged; the row's metadata stays. `failed_at` is not in
        // OutboxEntry: it is there for the retention purge of failed outcomes.
        //
        // outbox_due serves the deliverer's due query: only queued rows, in due order; partial, so
        // delivered history does not slow it down. outbox_state serves listings and counts by state.
        SchemaMigration(
            version: "v1-outbox",
            sqlite: [
                """
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
                )
                """,
                // Without the `id` PostgreSQL's have: see v3-same-indexes.
                "CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 'queued'",
                "CREATE INDEX outbox_state ON outbox (state)",
            ],
            postgres: [
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
        // The values of sensitive fields, apart from `variables` so that erasing them when the
        // outcome is delivered is one NULL (OutboxJSON).
        SchemaMigration(
            version: "v2-sensitive-values",
            sqlite: ["ALTER TABLE outbox ADD COLUMN sensitive_values TEXT"],
            postgres: ["ALTER TABLE outbox ADD COLUMN sensitive_values TEXT"]
        ),
        // The same indexes on both databases: SQLite's v1 left out the `id` PostgreSQL's name. Both
        // serve ORDER BY next_attempt_at, id and ORDER BY id alike (SQLite appends the rowid to
        // every index), but one schema is simpler to reason about, and the schema test holds them
        // to it. PostgreSQL's are already so.
        SchemaMigration(
            version: "v3-same-indexes",
            sqlite: [
                "DROP INDEX outbox_due",
                "CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE state = 'queued'",
                "DROP INDEX outbox_state",
                "CREATE INDEX outbox_state ON outbox (state, id)",
            ],
            postgres: []
        ),
        // The `locked` kind (OutcomeKind): a session whose verification failed too often posts the
        // form's lockedVariables once, through the outbox like any outcome, so v1's CHECK must let it
        // in. PostgreSQL swaps the constraint (v1's inline CHECK got the default name
        // <table>_<column>_check; no IF EXISTS, so a database that differs fails loudly instead of
        // keeping the old list). SQLite cannot alter a CHECK: the table is rebuilt the way
        // https://www.sqlite.org/lang_altertable.html#otheralter describes, in this migration's one
        // transaction: create the new table, copy every row with its id, drop the old one, rename,
        // recreate the indexes (the schema has no triggers, views or foreign keys to care for). The
        // columns keep their order, v2's sensitive_values last, as on PostgreSQL. AUTOINCREMENT's
        // counter is handed over to the new table before the drop (which deletes the old table's),
        // and the rename carries it along: ids of purged entries are never given out again, as
        // before the rebuild.
        SchemaMigration(
            version: "v4-locked-outcomes",
            sqlite: [
                """
                CREATE TABLE outbox_new (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    session_id TEXT NOT NULL UNIQUE,
                    form_id TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('submitted', 'declined', 'locked')),
                    variables TEXT,
                    state TEXT NOT NULL CHECK (state IN ('queued', 'delivered', 'failed')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL,
                    next_attempt_at INTEGER,
                    claimed_until INTEGER,
                    delivered_at INTEGER,
                    failed_at INTEGER,
                    last_error TEXT,
                    sensitive_values TEXT
                )
                """,
                """
                INSERT INTO outbox_new (
                    id, session_id, form_id, kind, variables, state, attempts, created_at, next_attempt_at, claimed_until,
                    delivered_at, failed_at, last_error, sensitive_values)
                SELECT
                    id, session_id, form_id, kind, variables, state, attempts, created_at, next_attempt_at, claimed_until,
                    delivered_at, failed_at, last_error, sensitive_values
                FROM outbox
                """,
                "DELETE FROM sqlite_sequence WHERE name = 'outbox_new'",
                "UPDATE sqlite_sequence SET name = 'outbox_new' WHERE name = 'outbox'",
                "DROP TABLE outbox",
                "ALTER TABLE outbox_new RENAME TO outbox",
                "CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE state = 'queued'",
                "CREATE INDEX outbox_state ON outbox (state, id)",
            ],
            postgres: [
                "ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check",
                "ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('submitted', 'declined', 'locked'))",
            ]
        ),
        // What verification and link expiry keep per session, apart from its outcome (SessionState):
        // the first opening (expiresAfter counts from it, whichever instance saw it), the wrong
        // answers so far and when the session was locked. One row per session, made by the first
        // opening or attempt; attempts lock it (SELECT … FOR UPDATE on PostgreSQL, the one writer
        // on SQLite). Times are StoredTime milliseconds, as in the outbox. session_state_created
        // serves the retention purge (created_at < cutoff). NOT NULL on the key is for SQLite,
        // whose non-integer primary keys otherwise accept NULL; PostgreSQL implies it.
        SchemaMigration(
            version: "v5-session-state",
            sqlite: [
                """
                CREATE TABLE session_state (
                    session_id TEXT NOT NULL PRIMARY KEY,
                    form_id TEXT,
                    first_opened_at INTEGER,
                    verification_failures INTEGER NOT NULL DEFAULT 0,
                    locked_at INTEGER,
                    created_at INTEGER NOT NULL
                )
                """,
                "CREATE INDEX session_state_created ON session_state (created_at)",
            ],
            postgres: [
                """
                CREATE TABLE session_state (
                    session_id TEXT NOT NULL PRIMARY KEY,
                    form_id TEXT,
                    first_opened_at BIGINT,
                    verification_failures INTEGER NOT NULL DEFAULT 0,
                    locked_at BIGINT,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX session_state_created ON session_state (created_at)",
            ]
        ),
        // Multi-step forms' answers so far (StoredDraft): one row per session, the answers sealed
        // (AES-GCM, Sealer) so the database never holds them in clear, form_id in clear for the
        // operators. Saved by each step; deleted in the transaction that stores the session's
        // outcome (the outbox's insertion), or by the retention purge once updated_at is older than
        // drafts.retention, which drafts_updated serves. Times are StoredTime milliseconds.
        SchemaMigration(
            version: "v6-drafts",
            sqlite: [
                """
                CREATE TABLE drafts (
                    session_id TEXT NOT NULL PRIMARY KEY,
                    form_id TEXT NOT NULL,
                    sealed BLOB NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                )
                """,
                "CREATE INDEX drafts_updated ON drafts (updated_at)",
            ],
            postgres: [
                """
                CREATE TABLE drafts (
                    session_id TEXT NOT NULL PRIMARY KEY,
                    form_id TEXT NOT NULL,
                    sealed BYTEA NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX drafts_updated ON drafts (updated_at)",
            ]
        ),
        // Uploaded files (StoredFile): one row per file, its cleaned bytes sealed (AES-GCM, Sealer
        // with the files' own keys, bound to the session) so the database never holds them in clear;
        // the metadata in clear for serving and for the operators (the detected media type, the
        // cleaned size in bytes, never the uploaded name). id is random (FileVault), the one thing a
        // signed link names. Unlike a draft, storing the outcome leaves the session's files: the
        // outcome links to them. Only the retention purge deletes them, once created_at is older
        // than files.retention, which files_created serves; files_session serves a session's files.
        // Times are StoredTime milliseconds.
        SchemaMigration(
            version: "v7-files",
            sqlite: [
                """
                CREATE TABLE files (
                    id TEXT NOT NULL PRIMARY KEY,
                    session_id TEXT NOT NULL,
                    form_id TEXT NOT NULL,
                    field TEXT NOT NULL,
                    media_type TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    sealed BLOB NOT NULL,
                    created_at INTEGER NOT NULL
                )
                """,
                "CREATE INDEX files_session ON files (session_id)",
                "CREATE INDEX files_created ON files (created_at)",
            ],
            postgres: [
                """
                CREATE TABLE files (
                    id TEXT NOT NULL PRIMARY KEY,
                    session_id TEXT NOT NULL,
                    form_id TEXT NOT NULL,
                    field TEXT NOT NULL,
                    media_type TEXT NOT NULL,
                    size BIGINT NOT NULL,
                    sealed BYTEA NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX files_session ON files (session_id)",
                "CREATE INDEX files_created ON files (created_at)",
            ]
        ),
        // The live event feed's own outbox (StoredEvent, EventSender): one row per event, its
        // Standard Webhooks id fixed here (webhook_id, reused on every retry) and its body stored
        // exactly as it is signed and sent, so a retry posts the same bytes. No field values, ever:
        // the body names the session, the form and the step. Delivered in id order per session: the
        // sender claims only a session's oldest pending event (events_session finds it), so a later
        // one never overtakes an earlier one still being retried. state 'pending' until the receiver
        // answers 2xx ('delivered') or events.maxAge passes ('abandoned', given up); finished_at
        // serves the retention purge of both (events_finished). Times are StoredTime milliseconds;
        // created_at is the event's own time, the one in the body.
        SchemaMigration(
            version: "v8-events",
            sqlite: [
                """
                CREATE TABLE events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    webhook_id TEXT NOT NULL UNIQUE,
                    session_id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    body TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'abandoned')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL,
                    next_attempt_at INTEGER,
                    claimed_until INTEGER,
                    finished_at INTEGER,
                    last_error TEXT
                )
                """,
                "CREATE INDEX events_due ON events (next_attempt_at, id) WHERE state = 'pending'",
                "CREATE INDEX events_session ON events (session_id, id) WHERE state = 'pending'",
                "CREATE INDEX events_finished ON events (finished_at)",
            ],
            postgres: [
                """
                CREATE TABLE events (
                    id BIGSERIAL PRIMARY KEY,
                    webhook_id TEXT NOT NULL UNIQUE,
                    session_id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    body TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'abandoned')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    created_at BIGINT NOT NULL,
                    next_attempt_at BIGINT,
                    claimed_until BIGINT,
                    finished_at BIGINT,
                    last_error TEXT
                )
                """,
                "CREATE INDEX events_due ON events (next_attempt_at, id) WHERE state = 'pending'",
                "CREATE INDEX events_session ON events (session_id, id) WHERE state = 'pending'",
                "CREATE INDEX events_finished ON events (finished_at)",
            ]
        ),
        // The funnel: what each session reached of its form (opened, verified, each step, the
        // review, a validation problem by field and problem, submitted, declined, expired, locked),
        // for `disposable-app report`. One row per session and mark, its first time: the key keeps a
        // refresh or a second problem of the same kind from counting twice, so a count of rows is a
        // count of people. `step`, `field` and `problem` are '' where they do not apply; never a
        // value the person gave. funnel_at serves the report's window and the retention purge.
        SchemaMigration(
            version: "v9-funnel",
            sqlite: [
                """
                CREATE TABLE funnel (
                    session_id TEXT NOT NULL,
                    form_id TEXT NOT NULL,
                    form_version TEXT NOT NULL,
                    stage TEXT NOT NULL,
                    step TEXT NOT NULL,
                    field TEXT NOT NULL,
                    problem TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    PRIMARY KEY (session_id, stage, step, field, problem)
                )
                """,
                "CREATE INDEX funnel_at ON funnel (at)",
            ],
            postgres: [
                """
                CREATE TABLE funnel (
                    session_id TEXT NOT NULL,
                    form_id TEXT NOT NULL,
                    form_version TEXT NOT NULL,
                    stage TEXT NOT NULL,
                    step TEXT NOT NULL,
                    field TEXT NOT NULL,
                    problem TEXT NOT NULL,
                    at BIGINT NOT NULL,
                    PRIMARY KEY (session_id, stage, step, field, problem)
                )
                """,
                "CREATE INDEX funnel_at ON funnel (at)",
            ]
        ),
        // The version of the form each outcome answered (FormDefinition.version, a content hash),
        // so that its outcome.delivered / outcome.failed events name it. '' for outcomes stored
        // before.
        SchemaMigration(
            version: "v10-outbox-form-version",
            sqlite: ["ALTER TABLE outbox ADD COLUMN form_version TEXT NOT NULL DEFAULT ''"],
            postgres: ["ALTER TABLE outbox ADD COLUMN form_version TEXT NOT NULL DEFAULT ''"]
        ),
        // Every version of every form this database's instances served, with the text of its file,
        // so that a page or draft of a version is checked with that version after a restart, or on
        // an instance that has not reloaded yet (FormLibrary). A version is stored once, when first
        // served; a few kilobytes per edit, kept: only live tokens and drafts ever ask for one.
        SchemaMigration(
            version: "v11-form-versions",
            sqlite: [
                """
                CREATE TABLE form_versions (
                    form_id TEXT NOT NULL,
                    version TEXT NOT NULL,
                    file TEXT NOT NULL,
                    source TEXT NOT NULL,
                    first_served_at INTEGER NOT NULL,
                    PRIMARY KEY (form_id, version)
                )
                """
            ],
            postgres: [
                """
                CREATE TABLE form_versions (
                    form_id TEXT NOT NULL,
                    version TEXT NOT NULL,
                    file TEXT NOT NULL,
                    source TEXT NOT NULL,
                    first_served_at BIGINT NOT NULL,
                    PRIMARY KEY (form_id, version)
                )
                """
            ]
        ),
    ]
}
