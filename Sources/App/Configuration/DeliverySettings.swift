/// `delivery.*`: how hard and how long the outbox tries to post an outcome.
public struct DeliverySettings: Sendable {
    /// How long a submit waits for Alvaria before handing over to the background deliverer.
    public var immediateBudget: Duration
    public var backoffBase: Duration
    public var backoffCap: Duration
    /// Past this age an undelivered outcome ends as failed.
    public var maxAge: Duration
    /// How long a deliverer holds an entry while posting it; an instance that dies mid-delivery
    /// leaves its claim to expire, then another takes the entry over.
    public var claimLease: Duration

    init(_ values: inout ConfigValues) {
        immediateBudget = values.duration("delivery.immediateBudget", default: .seconds(2), minimum: .zero)
        backoffBase = values.duration("delivery.backoffBase", default: .seconds(1), minimum: .milliseconds(10))
        backoffCap = values.duration("delivery.backoffCap", default: .seconds(600), minimum: .milliseconds(10))
        maxAge = values.duration("delivery.maxAge", default: .seconds(3 * 86400), minimum: .seconds(1))
        claimLease = values.duration("delivery.claimLease", default: .seconds(60), minimum: .seconds(1))
        if backoffCap < backoffBase {
            values.problem("delivery.backoffCap", "is shorter than delivery.backoffBase; expected a cap at least as long as the base")
        }
    }
}
