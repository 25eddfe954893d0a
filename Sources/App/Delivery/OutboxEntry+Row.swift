extension OutboxEntry {
    /// The columns an entry is read from, for both stores' SELECT and RETURNING. Named, never `*`:
    /// a later migration's column is not read for nothing, and `failed_at` is not in an entry.
    static let columns = """
        id, session_id, form_id, form_version, kind, variables, sensitive_values, state, attempts, created_at, next_attempt_at,
        claimed_until, delivered_at, last_error
        """

    /// Reads an entry from a row with ``columns``, from either database.
    ///
    /// Throws ``OutboxStoreError/unreadableEntry(id:reason:)`` for a row that is not an entry:
    /// a missing or mistyped column, an unknown kind or state, variables that are not the JSON
    /// ``OutboxJSON`` writes. The reason never quotes the values.
    init(row: some StoredRow) throws {
        let id: Int64
        do {
            id = try row.decode(Int64.self, column: "id")
        } catch {
            throw OutboxStoreError.unreadableEntry(id: nil, reason: error.description)
        }
        do {
            let kindText = try row.decode(String.self, column: "kind")
            let stateText = try row.decode(String.self, column: "state")
            guard let kind = OutcomeKind(rawValue: kindText) else {
                throw OutboxStoreError.unreadableEntry(id: id, reason: "unknown kind \"\(kindText)\"")
            }
            guard let state = OutboxState(rawValue: stateText) else {
                throw OutboxStoreError.unreadableEntry(id: id, reason: "unknown state \"\(stateText)\"")
            }
            let sensitive = try row.decode(String?.self, column: "sensitive_values")
            self.init(
                id: id,
                sessionId: try row.decode(String.self, column: "session_id"),
                formId: try row.decode(String.self, column: "form_id"),
                formVersion: try row.decode(String.self, column: "form_version"),
                kind: kind,
                variables: try row.decode(String?.self, column: "variables").map { try OutboxJSON.decode($0, sensitive: sensitive, id: id) },
                state: state,
                attempts: Int(try row.decode(Int64.self, column: "attempts")),
                createdAt: StoredTime.date(try row.decode(Int64.self, column: "created_at")),
                nextAttemptAt: try row.decode(Int64?.self, column: "next_attempt_at").map(StoredTime.date),
                claimedUntil: try row.decode(Int64?.self, column: "claimed_until").map(StoredTime.date),
                deliveredAt: try row.decode(Int64?.self, column: "delivered_at").map(StoredTime.date),
                lastError: try row.decode(String?.self, column: "last_error")
            )
        } catch let error as StoredRowError {
            throw OutboxStoreError.unreadableEntry(id: id, reason: error.description)
        }
    }
}

extension [OutboxEntry] {
    /// Oldest due first, then by id: the order ``OutboxStore/claimDue(now:limit:claimUntil:)``
    /// promises, which `UPDATE … RETURNING` does not keep on either database.
    func sortedDueFirst() -> [OutboxEntry] {
        sorted { ($0.nextAttemptAt ?? $0.createdAt, $0.id) < ($1.nextAttemptAt ?? $1.createdAt, $1.id) }
    }
}
