import Foundation
import GRDB
import Testing

@testable import App

/// ``SessionState/init(row:)``, the one row reader both stores use, on rows made by hand (GRDB's
/// `Row`; PostgreSQL's rows go through the same initialiser in the stores' contract suite).
@Suite("Reading a session's state from a row")
struct SessionStateRowTests {
    /// A complete row as the stores select it; each test spoils one column.
    private func row(_ changes: [String: (any DatabaseValueConvertible)?] = [:], without: String? = nil) -> Row {
        var columns: [String: (any DatabaseValueConvertible)?] = [
            "session_id": "s-PRIVATE", "form_id": "address-update", "first_opened_at": 1_800_000_000_250,
            "verification_failures": 2, "locked_at": nil,
        ]
        columns.merge(changes) { $1 }
        return Row(columns.filter { $0.key != without })
    }

    @Test("reads every column, times from milliseconds")
    func readsEveryColumn() throws {
        #expect(
            try SessionState(row: row())
                == SessionState(
                    sessionId: "s-PRIVATE",
                    formId: "address-update",
                    firstOpenedAt: StoredTime.date(1_800_000_000_250),
                    verificationFailures: 2,
                    lockedAt: nil
                )
        )
        #expect(
            try SessionState(row: row(["form_id": nil, "first_opened_at": nil, "locked_at": 1_800_000_001_000])).lockedAt
                == StoredTime.date(1_800_000_001_000)
        )
    }

    @Test("names a missing or mistyped column, never a value nor the session")
    func unreadable() throws {
        #expect(throws: OutboxStoreError.unreadableSessionState(reason: "column verification_failures is missing or not an integer")) {
            try SessionState(row: row(without: "verification_failures"))
        }
        #expect(throws: OutboxStoreError.unreadableSessionState(reason: "column locked_at is missing or not an integer or NULL")) {
            try SessionState(row: row(["locked_at": "PRIVATE-VALUE"]))
        }
        let error = OutboxStoreError.unreadableSessionState(reason: "column session_id is missing or not text")
        #expect(!error.description.contains("PRIVATE"))
    }
}
