import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import App

/// Both databases end up with the same schema from ``DatabaseSchema``: the same tables, with the
/// same columns in the same order and the same indexes. Read from the real databases (SQLite's
/// `sqlite_master`, PostgreSQL's `pg_indexes`), so a migration written differently for one
/// dialect shows here.
@Suite(
    "The database schema on SQLite and PostgreSQL",
    .enabled(if: PostgresTestServer.isAvailable, "needs TEST_POSTGRES_URL (scripts/test.sh starts one)")
)
struct DatabaseSchemaTests {
    @Test("both databases have the same tables, columns and indexes")
    func sameShape() async throws {
        let sqlite = try await withTemporaryFolder { folder in
            let store = try SQLiteOutboxStore.open(path: folder.appendingPathComponent("app.sqlite").path)
            defer { try? store.close() }
            return try await Self.shape(of: store.database)
        }
        let postgres = try await PostgresTestServer.withStores { makeStore in
            try await Self.shape(of: try await makeStore().database)
        }
        #expect(sqlite == postgres)
        #expect(sqlite["outbox"]?.indexes.keys.sorted() == ["outbox_due", "outbox_state"])
        #expect(sqlite["session_state"]?.columns == ["session_id", "form_id", "first_opened_at", "verification_failures", "locked_at", "created_at"])
        #expect(sqlite["session_state"]?.indexes.keys.sorted() == ["session_state_created"])
        #expect(sqlite["drafts"]?.columns == ["session_id", "form_id", "sealed", "created_at", "updated_at"])
        #expect(sqlite["drafts"]?.indexes["drafts_updated"]?.columns == ["updated_at"])
        #expect(sqlite["files"]?.columns == ["id", "session_id", "form_id", "field", "media_type", "size", "sealed", "created_at"])
        #expect(sqlite["files"]?.indexes["files_session"]?.columns == ["session_id"])
        #expect(sqlite["files"]?.indexes["files_created"]?.columns == ["created_at"])
        #expect(sqlite["files"]?.indexes.count == 2)
        #expect(
            sqlite["events"]?.columns == [
                "id", "webhook_id", "session_id", "type", "body", "state", "attempts", "created_at", "next_attempt_at", "claimed_until",
                "finished_at", "last_error",
            ]
        )
        #expect(sqlite["events"]?.indexes["events_session"]?.columns == ["session_id", "id"])
        #expect(sqlite["events"]?.indexes["events_session"]?.condition == "state = 'pending'")
        #expect(sqlite["events"]?.indexes.keys.sorted() == ["events_due", "events_finished", "events_session"])
    }

    /// One table as the schema test compares it: column names (not types: the dialects name
    /// those differently) and the indexes the migrations created.
    struct TableShape: Equatable, Sendable {
        var columns: [String] = []
        var indexes: [String: IndexShape] = [:]
    }

    /// An index's columns and, for a partial one, its condition.
    struct IndexShape: Equatable, Sendable, CustomStringConvertible {
        var columns: [String]
        var condition: String?

        /// Reads `CREATE INDEX name ON table [USING btree] (a, b) [WHERE …]` as either database
        /// writes it: PostgreSQL adds parentheses and casts to the condition (`(state = 'queued'::text)`).
        init(definition: String) throws {
            let afterOpen = try #require(definition.firstIndex(of: "("))
            let close = try #require(definition[afterOpen...].firstIndex(of: ")"))
            columns = definition[definition.index(after: afterOpen)..<close].split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            condition = definition.range(of: " WHERE ").map { range in
                definition[range.upperBound...].replacingOccurrences(of: "::text", with: "").filter { $0 != "(" && $0 != ")" }
            }
        }

        var description: String { "(\(columns.joined(separator: ", ")))" + (condition.map { " WHERE \($0)" } ?? "") }
    }

    /// Every table of the app's schema, by name; not the migrations' own bookkeeping.
    static func shape(of database: SQLiteDatabase) async throws -> [String: TableShape] {
        try await database.pool.read { db in
            var tables: [String: TableShape] = [:]
            let names = try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations'"
            )
            for name in names {
                tables[name] = TableShape(
                    columns: try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [name])
                )
            }
            // Without SQL: the indexes SQLite makes for UNIQUE and PRIMARY KEY, which PostgreSQL's
            // query below leaves out too.
            for row in try Row.fetchAll(db, sql: "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL") {
                let table: String = row["tbl_name"]
                tables[table, default: TableShape()].indexes[row["name"]] = try IndexShape(definition: row["sql"])
            }
            return tables
        }
    }

    static func shape(of database: App.PostgresDatabase) async throws -> [String: TableShape] {
        var tables: [String: TableShape] = [:]
        let columns = try await database.rows(
            """
            SELECT table_name::text, column_name::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name <> 'schema_migrations'
            ORDER BY table_name, ordinal_position
            """
        )
        for row in columns {
            let (table, column) = try row.decode((String, String).self)
            tables[table, default: TableShape()].columns.append(column)
        }
        let indexes = try await database.rows(
            """
            SELECT tablename::text, indexname::text, indexdef FROM pg_indexes
            WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'
                AND indexname NOT IN (SELECT conname FROM pg_constraint)
            """
        )
        for row in indexes {
            let (table, name, definition) = try row.decode((String, String, String).self)
            tables[table, default: TableShape()].indexes[name] = try IndexShape(definition: definition)
        }
        return tables
    }
}
