import Foundation

extension StoredEvent {
    /// The columns an event is read from, for both stores' SELECT and RETURNING.
    static let columns =
        "id, webhook_id, session_id, type, body, state, attempts, created_at, next_attempt_at, claimed_until, finished_at, last_error"

    /// Reads an event from a row with ``columns``, from either database.
    ///
    /// Throws ``OutboxStoreError/unreadableEvent(reason:)`` for a missing or mistyped column or an
    /// unknown type or state; the reason names the column, never the values.
    init(row: some StoredRow) throws {
        do {
            let typeText = try row.decode(String.self, column: "type")
            let stateText = try row.decode(String.self, column: "state")
            guard let type = EventType(rawValue: typeText) else {
                throw OutboxStoreError.unreadableEvent(reason: "column type is not an event type")
            }
            guard let state = EventState(rawValue: stateText) else {
                throw OutboxStoreError.unreadableEvent(reason: "column state is not an event state")
            }
            self.init(
                id: try row.decode(Int64.self, column: "id"),
                webhookId: try row.decode(String.self, column: "webhook_id"),
                sessionId: try row.decode(String.self, column: "session_id"),
                type: type,
                body: try row.decode(String.self, column: "body"),
                state: state,
                attempts: Int(try row.decode(Int64.self, column: "attempts")),
                createdAt: StoredTime.date(try row.decode(Int64.self, column: "created_at")),
                nextAttemptAt: try row.decode(Int64?.self, column: "next_attempt_at").map(StoredTime.date),
                claimedUntil: try row.decode(Int64?.self, column: "claimed_until").map(StoredTime.date),
                finishedAt: try row.decode(Int64?.self, column: "finished_at").map(StoredTime.date),
                lastError: try row.decode(String?.self, column: "last_error")
            )
        } catch let error as StoredRowError {
            throw OutboxStoreError.unreadableEvent(reason: error.description)
        }
    }
}

extension [StoredEvent] {
    /// Oldest due first, then by id: the order ``EventStore/claimDue(now:limit:claimUntil:)``
    /// promises (UPDATE … RETURNING returns rows in no particular order).
    func sortedDueFirst() -> [StoredEvent] {
        sorted { ($0.nextAttemptAt ?? .distantFuture, $0.id) < ($1.nextAttemptAt ?? .distantFuture, $1.id) }
    }
}
