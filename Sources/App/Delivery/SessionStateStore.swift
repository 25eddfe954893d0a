public import Foundation

/// What one verification attempt came to.
public enum VerificationAttempt: Sendable, Equatable {
    case verified
    /// Wrong; this many attempts remain (> 0).
    case wrong(attemptsLeft: Int)
    /// Wrong, and it was the last attempt: the session is locked now and the locked outcome stored, in one transaction.
    case lockedNow
    /// The session was locked already: nothing was compared.
    case locked
}

/// A session as the database knows it apart from its outcome.
///
/// Times are those the store recorded (milliseconds, ``StoredTime``), as with ``OutboxEntry``.
public struct SessionState: Sendable, Equatable {
    public var sessionId: String
    /// The form the link first opened; nil until recorded.
    public var formId: String?
    public var firstOpenedAt: Date?
    public var verificationFailures: Int
    public var lockedAt: Date?

    public init(sessionId: String, formId: String?, firstOpenedAt: Date?, verificationFailures: Int, lockedAt: Date?) {
        self.sessionId = sessionId
        self.formId = formId
        self.firstOpenedAt = firstOpenedAt
        self.verificationFailures = verificationFailures
        self.lockedAt = lockedAt
    }
}

/// The durable per-session state that verification (`verify:`) and link expiry (`expiresAfter:`)
/// need, in the same database as the outbox, so that every instance sharing it sees one truth.
///
/// Store-neutral like ``OutboxStore``: SQLite and PostgreSQL implement it, and both run
/// `SessionStateStoreContract`'s suite. A session's row is made by its first opening or attempt and
/// deleted by the retention purge; its outcome (submitted, declined or locked) lives in the outbox.
public protocol SessionStateStore: Sendable {
    /// The session's state; nil when the database has none.
    func state(sessionId: String) async throws -> SessionState?

    /// Records the first opening (form and time) unless one is recorded already; returns the state as it now stands
    /// (so the caller learns the FIRST opening time whoever recorded it). Atomic across instances.
    func recordOpening(sessionId: String, formId: String, at: Date) async throws -> SessionState

    /// One verification attempt, serialised per session across instances and processes: if the session is locked,
    /// returns .locked WITHOUT calling isCorrect. Otherwise calls isCorrect() exactly once while holding the
    /// session's lock (PostgreSQL: the session row SELECT … FOR UPDATE inside a transaction; SQLite: inside the pool's
    /// write), then: right → .verified (failures unchanged); wrong → failures += 1, and when failures reaches
    /// maxAttempts → locked_at set AND `lockedOutcome` inserted into the outbox (queued, due now, unclaimed, kind
    /// .locked; the session's draft deleted, as by any outcome's insertion) IN THE SAME TRANSACTION → .lockedNow; else .wrong(attemptsLeft: maxAttempts - failures).
    /// Creates the session's row if there is none. If the outbox already has an outcome for the session (unique
    /// session_id), the lock still happens and no second outcome is stored.
    ///
    /// Serialised, so that answers sent in parallel (to one instance or several) are compared one at a
    /// time and the session locks after exactly `maxAttempts` wrong ones. `isCorrect` runs under the
    /// lock: keep it to comparing answers, with no I/O. `lockedOutcome` is stored with kind `.locked`
    /// whatever its own kind says.
    func attemptVerification(
        sessionId: String,
        maxAttempts: Int,
        lockedOutcome: NewOutcome,
        at: Date,
        isCorrect: @Sendable () -> Bool
    ) async throws -> VerificationAttempt

    /// Deletes state rows created before `before` (retention job); returns how many.
    ///
    /// A deleted row forgets the first opening and the lock: keep rows longer than any link's
    /// `expiresAfter` and than Alvaria keeps a dialog open (a locked session's outcome stays in the
    /// outbox, which keeps the session consumed).
    func purgeStates(createdBefore before: Date) async throws -> Int
}

extension VerificationAttempt {
    /// What a wrong answer comes to once the failures are counted: the lock at `maxAttempts`. The
    /// one rule every store applies inside its transaction.
    static func afterWrongAnswer(failures: Int, maxAttempts: Int) -> VerificationAttempt {
        failures >= maxAttempts ? .lockedNow : .wrong(attemptsLeft: maxAttempts - failures)
    }
}
