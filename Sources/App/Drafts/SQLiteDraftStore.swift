public import Foundation
import GRDB

/// Drafts in the embedded SQLite file, next to the outbox.
///
/// Its SQL over the outbox's ``SQLiteDatabase``. Every write goes through the pool's one writer
/// connection, so a save's check of the outbox and its upsert cannot interleave with an outcome's
/// insertion (which deletes the draft in its own transaction: ``SQLiteOutboxStore/insertion(_:claimedUntil:)``).
/// Times are INTEGER milliseconds since 1970 (``StoredTime``); the box is a BLOB.
public struct SQLiteDraftStore: DraftStore {
    let database: SQLiteDatabase
    private var pool: DatabasePool { database.pool }

    init(database: SQLiteDatabase) {
        self.database = database
    }

    /// Read on the calling thread, like ``SQLiteSessionStateStore/state(sessionId:)``: an indexed
    /// lookup in WAL mode never waits for the writer.
    public func draft(sessionId: String) async throws -> StoredDraft? {
        try draftNow(sessionId)
    }

    private func draftNow(_ sessionId: String) throws -> StoredDraft? {
        try pool.read { db in
            // The outbox is asked too, as on PostgreSQL, where a draft can be left behind its outcome.
            let statement = try db.cachedStatement(
                sql: """
                    SELECT \(StoredDraft.columns) FROM drafts
                    WHERE session_id = ? AND NOT EXISTS (SELECT 1 FROM outbox WHERE session_id = ?)
                    """
            )
            return try Row.fetchOne(statement, arguments: [sessionId, sessionId]).map(StoredDraft.init(row:))
        }
    }

    public func saveDraft(sessionId: String, formId: String, sealed: [UInt8], at: Date) async throws -> Bool {
        let now = StoredTime.millis(at)
        let box = Data(sealed)
        return try await pool.write { db in
            // One statement: no row when the session's outcome is stored, else the upsert, which
            // keeps created_at. The WHERE also settles SQLite's INSERT … SELECT … ON CONFLICT
            // parsing ambiguity (https://www.sqlite.org/lang_upsert.html).
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO drafts (session_id, form_id, sealed, created_at, updated_at)
                    SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE session_id = ?)
                    ON CONFLICT (session_id) DO UPDATE SET form_id = excluded.form_id, sealed = excluded.sealed, updated_at = excluded.updated_at
                    """
            )
            try statement.execute(arguments: [sessionId, formId, box, now, now, sessionId])
            return db.changesCount > 0
        }
    }

    public func deleteDraft(sessionId: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM drafts WHERE session_id = ?", arguments: [sessionId])
        }
    }

    public func purgeDrafts(updatedBefore before: Date) async throws -> Int {
        let purged = try await pool.write { db in
            try db.execute(sql: "DELETE FROM drafts WHERE updated_at < ?", arguments: [StoredTime.millis(before)])
            return db.changesCount
        }
        // Sealed, but the old boxes need not wait in the write-ahead log for the next checkpoint.
        if purged > 0 { await database.checkpointErasures() }
        return purged
    }

    public func draftCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM drafts") ?? 0 }
    }
}
