import Foundation

extension Deliverer {
    /// Tells the live event feed that an outcome reached its end: `outcome.delivered` after
    /// Alvaria's 204, `outcome.failed` when it is refused or given up. A no-op with the feed off;
    /// never throws (``EventRecorder``).
    /// The form's version is the one the outcome was answered with (empty for one stored before
    /// the outbox kept versions).
    func recordEvent(_ type: EventType, of entry: OutboxEntry) async {
        await events.record(type, sessionId: entry.sessionId, formId: entry.formId, formVersion: entry.formVersion, at: now())
    }
}
