import Metrics

/// `verification_attempts_total{form, result}`: `verified`, `wrong`, `locked` (the attempt that
/// locked the session) and `refused` (a locked session, nothing compared). Summed over instances,
/// verified + wrong + locked is the number of comparisons made.
struct VerificationMetrics: Sendable {
    let factory: any MetricsFactory

    func record(_ attempt: VerificationAttempt, form: String) {
        let result =
            switch attempt {
            case .verified: "verified"
            case .wrong: "wrong"
            case .lockedNow: "locked"
            case .locked: "refused"
            }
        Counter(label: "verification_attempts_total", dimensions: [("form", form), ("result", result)], factory: factory).increment()
    }
}
