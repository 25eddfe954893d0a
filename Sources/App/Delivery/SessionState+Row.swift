extension SessionState {
    /// The columns a state is read from, for both stores' SELECT and RETURNING; `created_at` is
    /// there for the retention purge only.
    static let columns = "session_id, form_id, first_opened_at, verification_failures, locked_at"

    /// Reads a state from a row with ``columns``, from either database.
    ///
    /// Throws ``OutboxStoreError/unreadableSessionState(reason:)`` for a missing or mistyped column;
    /// the reason names the column, never the values (nor the sessionId, which logs shorten).
    init(row: some StoredRow) throws {
        do {
            self.init(
                sessionId: try row.decode(String.self, column: "session_id"),
                formId: try row.decode(String?.self, column: "form_id"),
                firstOpenedAt: try row.decode(Int64?.self, column: "first_opened_at").map(StoredTime.date),
                verificationFailures: Int(try row.decode(Int64.self, column: "verification_failures")),
                lockedAt: try row.decode(Int64?.self, column: "locked_at").map(StoredTime.date)
            )
        } catch {
            throw OutboxStoreError.unreadableSessionState(reason: error.description)
        }
    }
}
