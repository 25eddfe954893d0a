import Foundation

/// How long a failed delivery waits before its next attempt: exponential backoff with full jitter.
///
/// The ceiling after n attempts is `min(cap, base * 2^(n-1))` and the delay a random point in
/// `0...ceiling` ("full jitter"): after an outage every queued outcome becomes due at once, and
/// spreading them over the whole window keeps the deliverers from hammering Alvaria in lockstep
/// just as it comes back.
public struct RetryPolicy: Sendable {
    public var base: Duration
    public var cap: Duration
    /// The fraction of the ceiling to wait, in 0...1. Random in production; tests pin it to make
    /// "not due yet" checks deterministic.
    var fraction: @Sendable () -> Double

    public init(base: Duration, cap: Duration) {
        self.init(base: base, cap: cap, fraction: { Double.random(in: 0...1) })
    }

    public init(settings: DeliverySettings) {
        self.init(base: settings.backoffBase, cap: settings.backoffCap)
    }

    init(base: Duration, cap: Duration, fraction: @escaping @Sendable () -> Double) {
        self.base = max(base, .zero)
        self.cap = max(cap, .zero)
        self.fraction = fraction
    }

    /// The longest wait after `attempts` failed attempts (1 for the first failure).
    public func ceiling(afterAttempts attempts: Int) -> Duration {
        // Computed in seconds as a Double: 2^(attempts-1) overflows any integer long before the
        // cap stops mattering, and a Double only saturates.
        let exponent = Double(min(max(attempts, 1) - 1, 1024))
        let seconds = base.inSeconds * pow(2, exponent)
        return seconds >= cap.inSeconds ? cap : .seconds(seconds)
    }

    /// How long to wait after `attempts` failed attempts: between zero and the ceiling.
    public func delay(afterAttempts attempts: Int) -> Duration {
        let fraction = fraction()
        let clamped = fraction.isFinite ? min(max(fraction, 0), 1) : 1
        return ceiling(afterAttempts: attempts) * clamped
    }
}
