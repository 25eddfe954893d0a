public import Foundation

/// The live event feed's durable outbox, in the outbox's database.
///
/// Store-neutral, like ``OutboxStore``: SQLite (one instance) and PostgreSQL (several instances
/// sharing one database) implement it, and both run `EventStoreContract`'s suite. Methods that
/// record an attempt's result only touch events still `pending` (except ``markDelivered(id:at:)``:
/// a 2xx is the truth), so a sender whose claim expired cannot resurrect an event another finished.
public protocol EventStore: Sendable {
    /// Stores a new pending event, due at its creation, unclaimed.
    func record(_ event: NewEvent) async throws

    /// Atomically claims up to `limit` pending events that are due (nextAttemptAt <= now), not
    /// claimed (claimedUntil null or < now) and the OLDEST pending event of their session (no
    /// pending event of the same session has a smaller id, claimed or not), setting claimedUntil;
    /// returns them oldest due first. So a session's events go one at a time, in the order they
    /// were recorded, and two senders calling this at once never get the same event.
    func claimDue(now: Date, limit: Int, claimUntil: Date) async throws -> [StoredEvent]

    /// Records a 2xx: delivered, one more attempt, no longer due nor claimed.
    func markDelivered(id: Int64, at: Date) async throws

    /// Records that the sender gave up on a pending event (too old): abandoned, one more attempt,
    /// `lastError` set to `reason`, no longer due nor claimed. The session's next event may go.
    func markAbandoned(id: Int64, reason: String, at: Date) async throws

    /// Records a retryable failure of a pending event: sets `attempts` (the caller counts), the
    /// next due time and the error, and releases the claim.
    func scheduleRetry(id: Int64, attempts: Int, nextAttemptAt: Date, lastError: String) async throws

    /// Events in one state (or all), oldest first (by id).
    func events(state: EventState?, limit: Int) async throws -> [StoredEvent]

    /// How many events are in each state; every state is present, zero included.
    func counts() async throws -> [EventState: Int]

    /// Deletes delivered and abandoned events finished before `before`; returns how many (the
    /// retention job, `events.retention`). Pending events stay, whatever their age.
    func purgeFinished(before: Date) async throws -> Int
}
