public import Foundation
import NIOCore
import PostgresNIO

/// Uploaded files in PostgreSQL, next to the outbox: every instance serves every file.
///
/// The same behaviour as ``SQLiteFileStore`` (both pass `FileStoreContract`). Times are BIGINT
/// milliseconds since 1970 (``StoredTime``); the box is a BYTEA, the size a BIGINT.
public struct PostgresFileStore: FileStore {
    /// Its SQL runs on this: the outbox's pool, the query timeout and the schema.
    let database: PostgresDatabase

    init(database: PostgresDatabase) {
        self.database = database
    }

    public func saveFile(_ file: StoredFile) async throws {
        try await database.rows(
            """
            INSERT INTO files (id, session_id, form_id, field, media_type, size, sealed, created_at)
            VALUES (\(file.id), \(file.sessionId), \(file.formId), \(file.field), \(file.mediaType), \(Int64(file.size)),
                \(ByteBuffer(bytes: file.sealed)), \(StoredTime.millis(file.createdAt)))
            """
        )
    }

    public func file(id: String) async throws -> StoredFile? {
        try Self.files(await database.rows("SELECT \(unescaped: StoredFile.columns) FROM files WHERE id = \(id)")).first
    }

    public func files(sessionId: String) async throws -> [StoredFile] {
        // COLLATE "C": ids in byte order, as SQLite's BINARY compares them, whatever the database's locale.
        try Self.files(
            await database.rows(
                """
                SELECT \(unescaped: StoredFile.columns) FROM files WHERE session_id = \(sessionId)
                ORDER BY created_at, id COLLATE "C"
                """
            )
        )
    }

    public func purgeFiles(createdBefore before: Date) async throws -> FileStats {
        // One statement: the stats are those of the rows this DELETE removed, whatever another instance's pass does.
        try Self.stats(
            await database.rows(
                """
                WITH gone AS (DELETE FROM files WHERE created_at < \(StoredTime.millis(before)) RETURNING size)
                SELECT COUNT(*), COALESCE(SUM(size), 0)::BIGINT FROM gone
                """
            )
        )
    }

    public func fileStats() async throws -> FileStats {
        try Self.stats(await database.rows("SELECT COUNT(*), COALESCE(SUM(size), 0)::BIGINT FROM files"))
    }

    private static func files(_ rows: [PostgresRow]) throws -> [StoredFile] {
        try rows.map { try StoredFile(row: $0.makeRandomAccess()) }
    }

    private static func stats(_ rows: [PostgresRow]) throws -> FileStats {
        guard let row = rows.first else { return FileStats(count: 0, bytes: 0) }
        let (count, bytes) = try row.decode((Int64, Int64).self)
        return FileStats(count: Int(count), bytes: Int(bytes))
    }
}
