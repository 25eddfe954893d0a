public import Foundation

/// Where an event stands in the feed's outbox.
///
/// `pending` until the receiver answers 2xx (`delivered`), or `events.maxAge` passes without one
/// (`abandoned`: given up, counted, and the session's next event may go). Raw values are what the
/// stores write (the table's CHECK lists them), so they must not change.
public enum EventState: String, Sendable, Codable, CaseIterable {
    case pending, delivered, abandoned
}

/// One event in the feed's outbox, as the store holds it.
///
/// `body` is the JSON exactly as it is signed and posted, fixed when the event is recorded, like
/// `webhookId`: a retry sends the same bytes under the same id, only `webhook-timestamp` changes.
public struct StoredEvent: Sendable, Equatable {
    public var id: Int64
    /// `msg_…`, the Standard Webhooks id: unique per event, the same on every attempt.
    public var webhookId: String
    public var sessionId: String
    public var type: EventType
    public var body: String
    public var state: EventState
    /// Attempts made so far, the final one included.
    public var attempts: Int
    /// When the event happened (the body's `timestamp`); `events.maxAge` counts from it.
    public var createdAt: Date
    /// When a pending event is next due; nil once it is delivered or abandoned.
    public var nextAttemptAt: Date?
    /// A sender is posting the event until then; nobody else may meanwhile.
    public var claimedUntil: Date?
    /// When it was delivered or abandoned.
    public var finishedAt: Date?
    /// Why the last attempt failed (a status or a network error's kind); never a value.
    public var lastError: String?

    public init(
        id: Int64,
        webhookId: String,
        sessionId: String,
        type: EventType,
        body: String,
        state: EventState,
        attempts: Int,
        createdAt: Date,
        nextAttemptAt: Date?,
        claimedUntil: Date?,
        finishedAt: Date?,
        lastError: String?
    ) {
        self.id = id
        self.webhookId = webhookId
        self.sessionId = sessionId
        self.type = type
        self.body = body
        self.state = state
        self.attempts = attempts
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.claimedUntil = claimedUntil
        self.finishedAt = finishedAt
        self.lastError = lastError
    }
}

/// An event the recorder hands to the store: everything but what the store assigns.
public struct NewEvent: Sendable, Equatable {
    public var webhookId: String
    public var sessionId: String
    public var type: EventType
    public var body: String
    public var createdAt: Date

    public init(webhookId: String, sessionId: String, type: EventType, body: String, createdAt: Date) {
        self.webhookId = webhookId
        self.sessionId = sessionId
        self.type = type
        self.body = body
        self.createdAt = createdAt
    }
}
