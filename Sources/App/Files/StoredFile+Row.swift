extension StoredFile {
    /// The columns a file is read from, for both stores' SELECT.
    static let columns = "id, session_id, form_id, field, media_type, size, sealed, created_at"

    /// Reads a file from a row with ``columns``, from either database.
    ///
    /// Throws ``OutboxStoreError/unreadableFile(reason:)`` for a missing or mistyped column; the
    /// reason names the column, never the values.
    init(row: some StoredRow) throws {
        do {
            self.init(
                id: try row.decode(String.self, column: "id"),
                sessionId: try row.decode(String.self, column: "session_id"),
                formId: try row.decode(String.self, column: "form_id"),
                field: try row.decode(String.self, column: "field"),
                mediaType: try row.decode(String.self, column: "media_type"),
                size: Int(try row.decode(Int64.self, column: "size")),
                sealed: try row.decode([UInt8].self, column: "sealed"),
                createdAt: StoredTime.date(try row.decode(Int64.self, column: "created_at"))
            )
        } catch {
            throw OutboxStoreError.unreadableFile(reason: error.description)
        }
    }
}
