public import Foundation
import NIOCore
import PostgresNIO

/// Drafts in PostgreSQL, next to the outbox: several instances share them.
///
/// The same behaviour as ``SQLiteDraftStore`` (both pass `DraftStoreContract`). A save is one
/// statement that checks the outbox and upserts; an outcome's insertion deletes the draft in its
/// own statement (``PostgresOutboxStore/insertion(_:claimedUntil:)``). Times are BIGINT
/// milliseconds since 1970 (``StoredTime``); the box is a BYTEA.
///
/// Under READ COMMITTED, "atomic per statement" leaves one narrow race that SQLite's single writer
/// does not have: a save running at the very moment the session's outcome is stored on another
/// connection can read the outbox before the outcome commits and write its row after the outcome's
/// DELETE looked, leaving a draft behind the outcome (closing it would take a lock shared by every
/// enqueue). Such a draft is never handed out (``draft(sessionId:)`` reads no draft of a session whose
/// outcome is stored) and goes with the retention purge.
public struct PostgresDraftStore: DraftStore {
    /// Its SQL runs on this: the outbox's pool, the query timeout and the schema.
    let database: PostgresDatabase

    init(database: PostgresDatabase) {
        self.database = database
    }

    public func draft(sessionId: String) async throws -> StoredDraft? {
        try Self.drafts(
            await database.rows(
                """
                SELECT \(unescaped: StoredDraft.columns) FROM drafts
                WHERE session_id = \(sessionId) AND NOT EXISTS (SELECT 1 FROM outbox WHERE session_id = \(sessionId))
                """
            )
        )
        .first
    }

    public func saveDraft(sessionId: String, formId: String, sealed: [UInt8], at: Date) async throws -> Bool {
        let now = StoredTime.millis(at)
        let saved = try await database.rows(
            """
            INSERT INTO drafts (session_id, form_id, sealed, created_at, updated_at)
            SELECT \(sessionId), \(formId), \(ByteBuffer(bytes: sealed)), \(now), \(now)
            WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE session_id = \(sessionId))
            ON CONFLICT (session_id) DO UPDATE SET form_id = EXCLUDED.form_id, sealed = EXCLUDED.sealed, updated_at = EXCLUDED.updated_at
            RETURNING session_id
            """
        )
        return !saved.isEmpty
    }

    public func deleteDraft(sessionId: String) async throws {
        try await database.rows("DELETE FROM drafts WHERE session_id = \(sessionId)")
    }

    public func purgeDrafts(updatedBefore before: Date) async throws -> Int {
        try await database.rows("DELETE FROM drafts WHERE updated_at < \(StoredTime.millis(before)) RETURNING session_id").count
    }

    public func draftCount() async throws -> Int {
        let rows = try await database.rows("SELECT COUNT(*) FROM drafts")
        return Int(try rows.first?.decode(Int64.self) ?? 0)
    }

    private static func drafts(_ rows: [PostgresRow]) throws -> [StoredDraft] {
        try rows.map { try StoredDraft(row: $0.makeRandomAccess()) }
    }
}
