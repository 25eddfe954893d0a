public import Foundation
import GRDB

/// Uploaded files in the embedded SQLite file, next to the outbox.
///
/// Its SQL over the outbox's ``SQLiteDatabase``. Reads run on the pool's readers (WAL mode: they
/// never wait for the writer); writes go through its one writer connection. Times are INTEGER
/// milliseconds since 1970 (``StoredTime``); the box is a BLOB, the size an INTEGER.
public struct SQLiteFileStore: FileStore {
    let database: SQLiteDatabase
    private var pool: DatabasePool { database.pool }

    init(database: SQLiteDatabase) {
        self.database = database
    }

    public func saveFile(_ file: StoredFile) async throws {
        let box = Data(file.sealed)
        try await pool.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO files (id, session_id, form_id, field, media_type, size, sealed, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
            try statement.execute(arguments: [
                file.id, file.sessionId, file.formId, file.field, file.mediaType, Int64(file.size), box, StoredTime.millis(file.createdAt),
            ])
        }
    }

    public func file(id: String) async throws -> StoredFile? {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT \(StoredFile.columns) FROM files WHERE id = ?")
            return try Row.fetchOne(statement, arguments: [id]).map(StoredFile.init(row:))
        }
    }

    public func files(sessionId: String) async throws -> [StoredFile] {
        try await pool.read { db in
            // SQLite compares TEXT bytewise (BINARY), as PostgreSQL's COLLATE "C" does.
            let statement = try db.cachedStatement(
                sql: "SELECT \(StoredFile.columns) FROM files WHERE session_id = ? ORDER BY created_at, id"
            )
            return try Row.fetchAll(statement, arguments: [sessionId]).map(StoredFile.init(row:))
        }
    }

    public func purgeFiles(createdBefore before: Date) async throws -> FileStats {
        let cutoff = StoredTime.millis(before)
        // Counted and deleted in one transaction on the one writer: the stats are those of the rows deleted.
        let purged = try await pool.write { db in
            let stats = try Self.stats(db, sql: "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM files WHERE created_at < ?", arguments: [cutoff])
            try db.execute(sql: "DELETE FROM files WHERE created_at < ?", arguments: [cutoff])
            return stats
        }
        // The boxes are sealed, but erased files need not wait in the write-ahead log for the next checkpoint.
        if purged.count > 0 { await database.checkpointErasures() }
        return purged
    }

    public func fileStats() async throws -> FileStats {
        try await pool.read { db in try Self.stats(db, sql: "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM files", arguments: []) }
    }

    private static func stats(_ db: Database, sql: String, arguments: StatementArguments) throws -> FileStats {
        guard let row = try Row.fetchOne(db, sql: sql, arguments: arguments) else { return FileStats(count: 0, bytes: 0) }
        return FileStats(count: Int(row[0] as Int64), bytes: Int(row[1] as Int64))
    }
}
