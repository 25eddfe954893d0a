public import Foundation
import PostgresNIO

/// Form versions in PostgreSQL, next to the outbox: every instance reads what any one served.
public struct PostgresFormVersionStore: FormVersionStore {
    let database: PostgresDatabase

    init(database: PostgresDatabase) {
        self.database = database
    }

    /// In key order, as ``PostgresFunnelStore/record(_:)``: instances starting at once never deadlock.
    public func save(_ versions: [StoredFormVersion]) async throws {
        guard !versions.isEmpty else { return }
        try await database.rows(
            """
            INSERT INTO form_versions (form_id, version, file, source, first_served_at)
            SELECT * FROM UNNEST(\(versions.map(\.formId))::text[], \(versions.map(\.version))::text[], \(versions.map(\.file))::text[],
                \(versions.map(\.source))::text[], \(versions.map { StoredTime.millis($0.firstServedAt) })::bigint[])
                AS version (form_id, version, file, source, first_served_at)
            ORDER BY form_id, version
            ON CONFLICT DO NOTHING
            """
        )
    }

    public func version(formId: String, version: String) async throws -> StoredFormVersion? {
        try await database.rows(
            """
            SELECT form_id, version, file, source, first_served_at FROM form_versions
            WHERE form_id = \(formId) AND version = \(version)
            """
        ).first.map { try StoredFormVersion(row: $0.makeRandomAccess()) }
    }
}
