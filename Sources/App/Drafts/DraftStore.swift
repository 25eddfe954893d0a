public import Foundation

/// A draft as stored: the sealed box (``Sealer``), never the answers in clear.
///
/// Times are those the store recorded (milliseconds, ``StoredTime``), as with ``OutboxEntry``.
public struct StoredDraft: Sendable, Equatable {
    public var sessionId: String
    /// The form the draft belongs to, in clear for the operator commands and the flow's check
    /// that a draft is the form's.
    public var formId: String
    public var sealed: [UInt8]
    /// The first save.
    public var createdAt: Date
    /// The last save: the retention counts from it.
    public var updatedAt: Date

    public init(sessionId: String, formId: String, sealed: [UInt8], createdAt: Date, updatedAt: Date) {
        self.sessionId = sessionId
        self.formId = formId
        self.sealed = sealed
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Multi-step forms' answers so far, one draft per session, in the outbox's database (the same
/// SQLite file or PostgreSQL pool) so that the draft ends with the outcome in one transaction.
///
/// Store-neutral like ``OutboxStore``: SQLite and PostgreSQL implement it, and both run
/// `DraftStoreContract`'s suite. A store only keeps boxes: sealing and opening them is the caller's
/// (``Sealer``), so neither the database nor this code sees an answer in clear, and no error or log
/// line carries a box.
///
/// The outbox ends a session's draft: whenever an outcome is inserted (``OutboxStore/enqueue(_:claimedUntil:)``,
/// or the locked outcome of ``SessionStateStore/attemptVerification(sessionId:maxAttempts:lockedOutcome:at:isCorrect:)``),
/// the session's draft row is deleted in that same transaction.
public protocol DraftStore: Sendable {
    /// The session's draft; nil when it has none, or when the session's outcome is stored (a save
    /// racing the outcome on PostgreSQL can leave a row behind it: see ``PostgresDraftStore``).
    func draft(sessionId: String) async throws -> StoredDraft?

    /// Inserts or replaces the session's draft (created_at kept from the first save), unless the
    /// session's outcome is stored already (a row in the outbox for that session_id): then writes
    /// nothing and returns false. Atomic per statement.
    func saveDraft(sessionId: String, formId: String, sealed: [UInt8], at: Date) async throws -> Bool

    /// Deletes the session's draft, if any.
    func deleteDraft(sessionId: String) async throws

    /// Retention job: deletes drafts last updated before `before`; returns how many.
    func purgeDrafts(updatedBefore before: Date) async throws -> Int

    /// For the operator commands: how many drafts exist, never what they hold.
    func draftCount() async throws -> Int
}
