import AlvariaModels
import Foundation
import GRDB
import Testing

@testable import App

/// ``OutboxEntry/init(row:)``, the one row reader both stores use, on rows made by hand (GRDB's
/// `Row`; PostgreSQL's rows go through the same initialiser in the stores' contract suite).
@Suite("Reading an outbox entry from a row")
struct OutboxEntryRowTests {
    /// A complete row as the stores select it; each test spoils one column.
    private func row(_ changes: [String: (any DatabaseValueConvertible)?] = [:]) -> Row {
        var columns: [String: (any DatabaseValueConvertible)?] = [
            "id": 7, "session_id": "s-1", "form_id": "address-update", "form_version": "3fb426211af7", "kind": "declined",
            "variables": #"[{"id":"contactMethod","value":"email"}]"#,
            "sensitive_values": #"[{"at":0,"id":"pin","value":"PRIVATE-VALUE"}]"#,
            "state": "queued", "attempts": 2, "created_at": 1_800_000_000_250, "next_attempt_at": 1_800_000_001_000,
            "claimed_until": nil, "delivered_at": nil, "last_error": "500 server error",
        ]
        columns.merge(changes) { $1 }
        return Row(columns)
    }

    @Test("reads every column, the sensitive values back in their places")
    func readsEveryColumn() throws {
        let entry = try OutboxEntry(row: row())
        #expect(entry.id == 7)
        #expect(entry.sessionId == "s-1")
        #expect(entry.formVersion == "3fb426211af7")
        #expect(entry.kind == .declined)
        #expect(entry.variables == [OutcomeVariable(id: "pin", value: "PRIVATE-VALUE"), OutcomeVariable(id: "contactMethod", value: "email")])
        #expect(entry.state == .queued)
        #expect(entry.attempts == 2)
        #expect(entry.createdAt == StoredTime.date(1_800_000_000_250))
        #expect(entry.nextAttemptAt == StoredTime.date(1_800_000_001_000))
        #expect(entry.claimedUntil == nil)
        #expect(entry.lastError == "500 server error")
    }

    @Test(
        "names what is wrong with a row, never its values",
        arguments: [
            ("kind", "lost", #"unknown kind "lost""#),
            ("state", "lost", #"unknown state "lost""#),
            ("last_error", 12, "column last_error is missing or not text or NULL"),
            ("attempts", "PRIVATE-VALUE", "column attempts is missing or not an integer"),
            ("session_id", nil, "column session_id is missing or not text"),
            ("variables", "PRIVATE-VALUE", "variables are not a JSON list of {id, value}"),
        ] as [(String, (any DatabaseValueConvertible & Sendable)?, String)]
    )
    func unreadable(column: String, value: (any DatabaseValueConvertible & Sendable)?, reason: String) throws {
        #expect(throws: OutboxStoreError.unreadableEntry(id: 7, reason: reason)) { try OutboxEntry(row: row([column: value])) }
    }

    @Test("a row without an id is unreadable too")
    func withoutId() throws {
        var columns = Dictionary(uniqueKeysWithValues: row().map { ($0.0, $0.1) })
        columns["id"] = nil
        #expect(throws: OutboxStoreError.unreadableEntry(id: nil, reason: "column id is missing or not an integer")) {
            try OutboxEntry(row: Row(columns))
        }
    }

    @Test("sorts claimed entries oldest due first, then by id")
    func dueOrder() throws {
        let base = try OutboxEntry(row: row())
        func entry(_ id: Int64, due: Int64?, created: Int64 = 0) -> OutboxEntry {
            var entry = base
            entry.id = id
            entry.nextAttemptAt = due.map(StoredTime.date)
            entry.createdAt = StoredTime.date(created)
            return entry
        }
        let entries = [entry(1, due: 300), entry(2, due: 100), entry(3, due: nil, created: 200), entry(4, due: 100)]
        #expect(entries.sortedDueFirst().map(\.id) == [2, 4, 3, 1])
    }
}
