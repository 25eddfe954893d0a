extension StoredDraft {
    /// The columns a draft is read from, for both stores' SELECT and RETURNING.
    static let columns = "session_id, form_id, sealed, created_at, updated_at"

    /// Reads a draft from a row with ``columns``, from either database.
    ///
    /// Throws ``OutboxStoreError/unreadableDraft(reason:)`` for a missing or mistyped column; the
    /// reason names the column, never the values (nor the sessionId, which logs shorten).
    init(row: some StoredRow) throws {
        do {
            self.init(
                sessionId: try row.decode(String.self, column: "session_id"),
                formId: try row.decode(String.self, column: "form_id"),
                sealed: try row.decode([UInt8].self, column: "sealed"),
                createdAt: StoredTime.date(try row.decode(Int64.self, column: "created_at")),
                updatedAt: StoredTime.date(try row.decode(Int64.self, column: "updated_at"))
            )
        } catch {
            throw OutboxStoreError.unreadableDraft(reason: error.description)
        }
    }
}
