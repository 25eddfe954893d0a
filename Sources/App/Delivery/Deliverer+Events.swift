import Foundation

extension Deliverer {
    /// Tells the live event feed that an outcome reached its end: `outcome.delivered` after
    /// Alvaria's 204, `outcome.failed` when it is refused or given up. A no-op with the feed off;
    /// never throws (``EventRecorder``).
    ///
    /// `formVersion`: the outbox does not keep the form's version yet, so the events say "" until a
    /// `form_version` column comes and the call sites pass it.
    func recordEvent(_ type: EventType, of entry: OutboxEntry, formVersion: String = "") async {
        await events.record(type, sessionId: entry.sessionId, formId: entry.formId, formVersion: formVersion, at: now())
    }
}
