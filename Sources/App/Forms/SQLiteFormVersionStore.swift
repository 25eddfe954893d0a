public import Foundation
import GRDB

/// Form versions in the embedded SQLite file, next to the outbox.
public struct SQLiteFormVersionStore: FormVersionStore {
    let database: SQLiteDatabase

    init(database: SQLiteDatabase) {
        self.database = database
    }

    public func save(_ versions: [StoredFormVersion]) async throws {
        guard !versions.isEmpty else { return }
        try await database.pool.write { db in
            let statement = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO form_versions (form_id, version, file, source, first_served_at) VALUES (?, ?, ?, ?, ?)"
            )
            for version in versions {
                try statement.execute(arguments: [
                    version.formId, version.version, version.file, version.source, StoredTime.millis(version.firstServedAt),
                ])
            }
        }
    }

    public func version(formId: String, version: String) async throws -> StoredFormVersion? {
        try await database.pool.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT form_id, version, file, source, first_served_at FROM form_versions WHERE form_id = ? AND version = ?",
                arguments: [formId, version]
            ).map { try StoredFormVersion(row: $0) }
        }
    }
}

extension StoredFormVersion {
    /// Reads a version from a row of `form_versions`, from either database.
    init(row: some StoredRow) throws {
        self.init(
            formId: try row.decode(String.self, column: "form_id"),
            version: try row.decode(String.self, column: "version"),
            file: try row.decode(String.self, column: "file"),
            source: try row.decode(String.self, column: "source"),
            firstServedAt: StoredTime.date(try row.decode(Int64.self, column: "first_served_at"))
        )
    }
}
