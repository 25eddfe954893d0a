/// What happened in a session, as the live event feed names it: the `type` of a webhook's body.
///
/// Raw values are the public interface (receivers switch on them) and what the `events` table
/// stores, so they must not change.
public enum EventType: String, Sendable, Codable, CaseIterable {
    case linkOpened = "link.opened"
    case verificationPassed = "verification.passed"
    case verificationFailed = "verification.failed"
    case verificationLocked = "verification.locked"
    case stepCompleted = "step.completed"
    case formSubmitted = "form.submitted"
    case formDeclined = "form.declined"
    case outcomeDelivered = "outcome.delivered"
    case outcomeFailed = "outcome.failed"
}
