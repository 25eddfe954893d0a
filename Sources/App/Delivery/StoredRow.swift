import GRDB
import PostgresNIO

/// One row a query returned, read by column name, whichever database it came from.
///
/// A row type reads its columns through this (``OutboxEntry/init(row:)``), so its checks are
/// written once for both databases. Only the column types the tables use are here; a table that
/// needs another adds it to the protocol and to both conformances below.
protocol StoredRow {
    func decode(_ type: Int64.Type, column: String) throws(StoredRowError) -> Int64
    func decode(_ type: Int64?.Type, column: String) throws(StoredRowError) -> Int64?
    func decode(_ type: String.Type, column: String) throws(StoredRowError) -> String
    func decode(_ type: String?.Type, column: String) throws(StoredRowError) -> String?
    /// A BLOB (SQLite) or BYTEA (PostgreSQL).
    func decode(_ type: [UInt8].Type, column: String) throws(StoredRowError) -> [UInt8]
}

/// A column a row type needs is missing or of another type.
///
/// Only names the column: the drivers' own errors can quote the row's values.
struct StoredRowError: Error, CustomStringConvertible {
    let column: String
    let expected: String

    var description: String { "column \(column) is missing or not \(expected)" }
}

/// SQLite's rows, as GRDB reads them.
extension Row: StoredRow {
    func decode(_ type: Int64.Type, column: String) throws(StoredRowError) -> Int64 {
        do { return try decode(type, forColumn: column) } catch { throw StoredRowError(column: column, expected: "an integer") }
    }

    func decode(_ type: Int64?.Type, column: String) throws(StoredRowError) -> Int64? {
        do { return try decode(type, forColumn: column) } catch { throw StoredRowError(column: column, expected: "an integer or NULL") }
    }

    func decode(_ type: String.Type, column: String) throws(StoredRowError) -> String {
        do { return try decode(type, forColumn: column) } catch { throw StoredRowError(column: column, expected: "text") }
    }

    func decode(_ type: String?.Type, column: String) throws(StoredRowError) -> String? {
        do { return try decode(type, forColumn: column) } catch { throw StoredRowError(column: column, expected: "text or NULL") }
    }

    func decode(_ type: [UInt8].Type, column: String) throws(StoredRowError) -> [UInt8] {
        // A BLOB reads as Data; text would too (SQLite converts), so the type is checked first.
        guard hasColumn(column), case .blob(let data) = (self[column] as DatabaseValue).storage else {
            throw StoredRowError(column: column, expected: "a blob")
        }
        return Array(data)
    }
}

/// PostgreSQL's rows, as PostgresNIO reads them: `PostgresRow.makeRandomAccess()` looks columns up
/// by name in the table the result's rows share.
extension PostgresRandomAccessRow: StoredRow {
    func decode(_ type: Int64.Type, column: String) throws(StoredRowError) -> Int64 {
        try value(type, column: column, expected: "an integer")
    }

    func decode(_ type: Int64?.Type, column: String) throws(StoredRowError) -> Int64? {
        try value(type, column: column, expected: "an integer or NULL")
    }

    func decode(_ type: String.Type, column: String) throws(StoredRowError) -> String {
        try value(type, column: column, expected: "text")
    }

    func decode(_ type: String?.Type, column: String) throws(StoredRowError) -> String? {
        try value(type, column: column, expected: "text or NULL")
    }

    func decode(_ type: [UInt8].Type, column: String) throws(StoredRowError) -> [UInt8] {
        Array(try value(ByteBuffer.self, column: column, expected: "bytes").readableBytesView)
    }

    /// PostgresNIO traps on a column that is not there; a store's SQL missing one is an error, not a crash.
    private func value<Value: PostgresDecodable>(_ type: Value.Type, column: String, expected: String) throws(StoredRowError) -> Value {
        guard contains(column) else { throw StoredRowError(column: column, expected: expected) }
        do { return try self[column].decode(type) } catch { throw StoredRowError(column: column, expected: expected) }
    }
}
