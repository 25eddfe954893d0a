public import Foundation
import PostgresNIO

/// The funnel in PostgreSQL, next to the outbox: every instance's marks in one table. A batch
/// of marks is one statement (arrays unnested), so instances recording the same mark at once
/// keep one row.
///
/// Each batch is inserted in key order: two instances inserting overlapping batches then take the
/// keys' locks in the same order, one waiting for the other, where opposite orders deadlock
/// (PostgreSQL aborts one of them; a whole-suite run met it).
public struct PostgresFunnelStore: FunnelStore {
    let database: PostgresDatabase

    init(database: PostgresDatabase) {
        self.database = database
    }

    public func record(_ marks: [FunnelMark]) async throws {
        guard !marks.isEmpty else { return }
        try await database.rows(
            """
            INSERT INTO funnel (session_id, form_id, form_version, stage, step, field, problem, at)
            SELECT * FROM UNNEST(\(marks.map(\.sessionId))::text[], \(marks.map(\.formId))::text[], \(marks.map(\.formVersion))::text[],
                \(marks.map(\.stage.rawValue))::text[], \(marks.map(\.step))::text[], \(marks.map(\.field))::text[],
                \(marks.map(\.problem))::text[], \(marks.map { StoredTime.millis($0.at) })::bigint[])
                AS mark (session_id, form_id, form_version, stage, step, field, problem, at)
            ORDER BY session_id, stage, step, field, problem
            ON CONFLICT DO NOTHING
            """
        )
    }

    public func counts(since: Date) async throws -> [FunnelCount] {
        var query = PostgresQuery(unsafeSQL: FunnelQueries.counts)
        query.binds.append(StoredTime.millis(since))
        return try await database.rows(query).map { try FunnelQueries.count(row: $0.makeRandomAccess()) }
    }

    public func purgeMarks(before: Date) async throws -> Int {
        try await database.rows("DELETE FROM funnel WHERE at < \(StoredTime.millis(before)) RETURNING at").count
    }
}
