public import Foundation
import GRDB

/// The funnel in the embedded SQLite file, next to the outbox: its SQL over the outbox's
/// ``SQLiteDatabase``. A batch of marks is one transaction of `INSERT OR IGNORE`s.
public struct SQLiteFunnelStore: FunnelStore {
    let database: SQLiteDatabase

    init(database: SQLiteDatabase) {
        self.database = database
    }

    public func record(_ marks: [FunnelMark]) async throws {
        guard !marks.isEmpty else { return }
        try await database.pool.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO funnel (session_id, form_id, form_version, stage, step, field, problem, at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
            for mark in marks {
                try statement.execute(arguments: [
                    mark.sessionId, mark.formId, mark.formVersion, mark.stage.rawValue, mark.step, mark.field, mark.problem,
                    StoredTime.millis(mark.at),
                ])
            }
        }
    }

    public func counts(since: Date) async throws -> [FunnelCount] {
        try await database.pool.read { db in
            let rows = try Row.fetchAll(db, sql: FunnelQueries.counts, arguments: [StoredTime.millis(since)])
            return try rows.map { try FunnelQueries.count(row: $0) }
        }
    }

    public func purgeMarks(before: Date) async throws -> Int {
        try await database.pool.write { db in
            try db.execute(sql: "DELETE FROM funnel WHERE at < ?", arguments: [StoredTime.millis(before)])
            return db.changesCount
        }
    }
}

/// What both funnel stores ask, written once: both dialects read it alike.
enum FunnelQueries {
    /// `$1` / `?`: the window's start, in ``StoredTime`` milliseconds.
    static let counts = """
        SELECT form_id, form_version, stage, step, field, problem, COUNT(*) AS sessions FROM funnel f
        WHERE at >= $1 AND (stage <> 'expired' OR NOT EXISTS (
            SELECT 1 FROM funnel o WHERE o.session_id = f.session_id AND o.stage IN ('submitted', 'declined')))
        GROUP BY form_id, form_version, stage, step, field, problem
        ORDER BY form_id, form_version, stage, step, field, problem
        """

    static func count(row: some StoredRow) throws -> FunnelCount {
        let stage = try row.decode(String.self, column: "stage")
        guard let known = FunnelMark.Stage(rawValue: stage) else { throw StoredRowError(column: "stage", expected: "a funnel stage") }
        return FunnelCount(
            formId: try row.decode(String.self, column: "form_id"),
            formVersion: try row.decode(String.self, column: "form_version"),
            stage: known,
            step: try row.decode(String.self, column: "step"),
            field: try row.decode(String.self, column: "field"),
            problem: try row.decode(String.self, column: "problem"),
            sessions: Int(try row.decode(Int64.self, column: "sessions"))
        )
    }
}
