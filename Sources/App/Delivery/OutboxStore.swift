public import AlvariaModels
public import Foundation

/// Where an outcome stands in the outbox.
///
/// `queued` until Alvaria answers 204 (`delivered`), or 400/404 or too much time make it
/// `failed`. Raw values are what the stores write, so they must not change.
public enum OutboxState: String, Sendable, Codable, CaseIterable {
    case queued, delivered, failed
}

/// What the person did with the form: sent it, pressed "No thanks", or answered the verification
/// questions wrong too often (`locked`: the form's `lockedVariables`, posted once).
///
/// All are outcomes for CX and travel the same way; the kind is kept for operators and metrics.
/// Raw values are what the stores write (the outbox's CHECK lists them), so they must not change.
public enum OutcomeKind: String, Sendable, Codable, CaseIterable {
    case submitted, declined, locked
}

/// One outcome in the outbox, as the store holds it.
///
/// Times are those the store recorded (SQLite keeps milliseconds), so compare entries read
/// from the store with each other rather than with the `Date`s that went in.
public struct OutboxEntry: Sendable, Equatable {
    public var id: Int64
    public var sessionId: String
    public var formId: String
    /// The version of the form the person answered (``FormDefinition/version``); empty for an
    /// outcome stored before versions, or of a form built in code.
    public var formVersion: String
    public var kind: OutcomeKind
    /// The values the person gave; `nil` once purged after the retention period. Sensitive
    /// ones (``NewOutcome/sensitiveVariables``) are gone from the list once delivered.
    public var variables: [OutcomeVariable]?
    public var state: OutboxState
    /// Attempts made so far, the final one included.
    public var attempts: Int
    public var createdAt: Date
    /// When a queued entry is next due; nil once it is delivered or failed.
    public var nextAttemptAt: Date?
    /// A deliverer is working on the entry until then; nobody else may post it meanwhile.
    public var claimedUntil: Date?
    public var deliveredAt: Date?
    /// Why the last attempt failed (an ``AlvariaError/reason``); never outcome values.
    public var lastError: String?

    public init(
        id: Int64,
        sessionId: String,
        formId: String,
        formVersion: String = "",
        kind: OutcomeKind,
        variables: [OutcomeVariable]?,
        state: OutboxState,
        attempts: Int,
        createdAt: Date,
        nextAttemptAt: Date?,
        claimedUntil: Date?,
        deliveredAt: Date?,
        lastError: String?
    ) {
        self.id = id
        self.sessionId = sessionId
        self.formId = formId
        self.formVersion = formVersion
        self.kind = kind
        self.variables = variables
        self.state = state
        self.attempts = attempts
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.claimedUntil = claimedUntil
        self.deliveredAt = deliveredAt
        self.lastError = lastError
    }
}

/// An outcome the submit path hands to the outbox.
public struct NewOutcome: Sendable {
    public var sessionId: String
    public var formId: String
    /// The version of the form the person answered.
    public var formVersion: String
    public var kind: OutcomeKind
    public var variables: [OutcomeVariable]
    /// Ids of variables from `sensitive: true` fields: stored apart, erased once delivered.
    public var sensitiveVariables: Set<String>
    public var createdAt: Date

    public init(
        sessionId: String,
        formId: String,
        formVersion: String = "",
        kind: OutcomeKind,
        variables: [OutcomeVariable],
        sensitiveVariables: Set<String> = [],
        createdAt: Date
    ) {
        self.sessionId = sessionId
        self.formId = formId
        self.formVersion = formVersion
        self.kind = kind
        self.variables = variables
        self.sensitiveVariables = sensitiveVariables
        self.createdAt = createdAt
    }
}

/// What ``OutboxStore/enqueue(_:claimedUntil:)`` did.
public enum EnqueueResult: Sendable, Equatable {
    /// The outcome is stored and the session consumed by this call.
    case stored(OutboxEntry)
    /// The session already has an outcome (double click, replay, a concurrent submit).
    case alreadyConsumed
}

/// The durable outbox behind submits and the ``Deliverer``.
///
/// Store-neutral on purpose: SQLite (one instance) and PostgreSQL (several instances sharing one
/// database) implement it, and both run `OutboxStoreContract`'s suite. Implementations never
/// put outcome values in errors or logs. Methods that record an attempt's result only touch
/// entries that are still `queued` (except ``markDelivered(id:at:)``: a 204 is the truth), so a
/// slow deliverer whose claim expired cannot resurrect an entry another one finished.
public protocol OutboxStore: Sendable {
    /// Stores the outcome and consumes the session in ONE transaction; unique per sessionId, so
    /// a double click, a replay or concurrent submits store exactly one. The same transaction
    /// deletes the session's draft (``DraftStore``), stored or not. The new entry comes back
    /// `queued`, due at once, with no attempts, already CLAIMED until `claimedUntil` (the submit
    /// path makes the first attempt itself; the background deliverer must not post it at the
    /// same time, but takes over if the process dies before the attempt is recorded).
    func enqueue(_ outcome: NewOutcome, claimedUntil: Date) async throws -> EnqueueResult

    /// True once an outcome is stored for the session, whatever became of it.
    func isConsumed(sessionId: String) async throws -> Bool

    /// Atomically claims up to `limit` queued entries that are due (nextAttemptAt <= now) and
    /// not claimed (claimedUntil null or < now), setting claimedUntil; returns them oldest due
    /// first. Two deliverers calling this at once never get the same entry.
    func claimDue(now: Date, limit: Int, claimUntil: Date) async throws -> [OutboxEntry]

    /// Records a 204: state delivered, one more attempt, no longer due nor claimed, and the
    /// sensitive values erased.
    func markDelivered(id: Int64, at: Date) async throws

    /// Records a final failure of a queued entry: state failed, one more attempt, `lastError`
    /// set to `reason`, no longer due nor claimed.
    func markFailed(id: Int64, reason: String, at: Date) async throws

    /// Records a retryable failure of a queued entry: sets `attempts` (the caller counts),
    /// the next due time and the error, and releases the claim.
    func scheduleRetry(id: Int64, attempts: Int, nextAttemptAt: Date, lastError: String) async throws

    func entry(id: Int64) async throws -> OutboxEntry?

    /// Entries in one state (or all), newest first.
    func entries(state: OutboxState?, limit: Int) async throws -> [OutboxEntry]

    /// How many entries are in each state; every state is present, zero included.
    func counts() async throws -> [OutboxState: Int]

    // MARK: Operators and retention

    /// Puts a failed or queued entry back in the queue, due at `now` (`outbox retry ID`). A live
    /// claim is kept: an attempt in flight must not be joined by a second post. False when there is no such entry or it was delivered.
    func requeue(id: Int64, now: Date) async throws -> Bool
    /// Deletes delivered entries delivered before `before`, metadata and all; returns how many
    /// (`outbox purge --delivered-before`). The session's one-shot mark goes with the row, which
    /// is harmless for dialogs that old: Alvaria answers 404 for them and the page says "expired".
    func purgeDelivered(before: Date) async throws -> Int
    /// Erases the values (not the metadata) of entries delivered before `before`; returns how
    /// many (the retention job: outcome values are personal data).
    func eraseDeliveredValues(before: Date) async throws -> Int

    /// Readiness: a cheap query that fails when the database is unusable.
    func ping() async throws
}
