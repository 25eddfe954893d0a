import GRDB

/// The app's embedded SQLite database: one file, for a single instance.
///
/// The plumbing every SQLite store shares, so a store holds one of these and brings only its own
/// SQL (see ``DatabaseSchema`` for adding a table). A GRDB `DatabasePool` in WAL mode, so
/// readiness checks and listings read while a submit writes; every write goes through the pool's
/// one writer connection, which is what makes a store's read-then-write statements atomic.
/// ``open(path:busyTimeout:)`` creates the file and brings the schema up to date.
struct SQLiteDatabase: Sendable {
    let pool: DatabasePool
    /// The file, as configured; for messages.
    let path: String

    /// Closes the connections; later calls fail. The pool also closes when the last copy goes.
    func close() throws {
        try pool.close()
    }

    /// Erased values must not live on in the write-ahead log, whose frames keep the pages as they
    /// were: copy the log into the database (where `secure_delete` has zeroed them) and truncate it.
    /// Best effort: a reader holding an old snapshot can keep frames for a moment, and the next
    /// erasure or the retention job's checkpoint takes them.
    func checkpointErasures() async {
        _ = try? await pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    }
}
