import Synchronization

/// Token buckets keyed by client: each key may spend `capacity` requests at once and earns
/// `capacity` more per minute, so a person reloading a page never notices while a script
/// hammering one address is slowed to the configured rate.
///
/// A bucket that has been idle long enough to be full again holds no information, so such
/// buckets are swept away; the table never grows past `maxKeys` (the longest idle go first).
final class TokenBucketLimiter: Sendable {
    /// What ``take(_:)`` decided.
    enum Decision: Equatable, Sendable {
        case allowed
        /// Refused; a token will be available in this many whole seconds (at least 1).
        case limited(retryAfter: Int)
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private struct State {
        var buckets: [String: Bucket] = [:]
        var lastSweep: ContinuousClock.Instant
    }

    /// Requests a key may make at once, and per minute.
    let capacity: Int
    let maxKeys: Int
    private let perSecond: Double
    /// How long an empty bucket takes to fill up: after this, forgetting it changes nothing.
    private let refillTime: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state: Mutex<State>

    /// - Parameters:
    ///   - perMinute: requests per minute and burst size; 0 allows everything.
    ///   - maxKeys: the most clients remembered at once.
    ///   - now: the clock (tests move it by hand).
    init(perMinute: Int, maxKeys: Int = 100_000, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        capacity = perMinute
        self.maxKeys = max(1, maxKeys)
        perSecond = Double(perMinute) / 60
        refillTime = .seconds(60)
        self.now = now
        state = Mutex(State(lastSweep: now()))
    }

    /// True when the limiter never refuses (`perMinute` 0).
    var isDisabled: Bool { capacity == 0 }

    /// How many clients are remembered (for tests of the memory bound).
    var trackedKeys: Int { state.withLock { $0.buckets.count } }

    /// Spends one token of `key`'s bucket, or says how long until one is available.
    func take(_ key: String) -> Decision {
        guard !isDisabled else { return .allowed }
        let now = now()
        return state.withLock { state in
            if now - state.lastSweep >= refillTime || state.buckets.count >= maxKeys {
                sweep(&state, now: now)
            }
            var bucket = state.buckets[key] ?? Bucket(tokens: Double(capacity), updated: now)
            let elapsed = max(0, (now - bucket.updated).inSeconds)
            bucket.tokens = min(Double(capacity), bucket.tokens + elapsed * perSecond)
            bucket.updated = now
            let decision: Decision
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                decision = .allowed
            } else {
                decision = .limited(retryAfter: max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up))))
            }
            state.buckets[key] = bucket
            return decision
        }
    }

    /// Forgets the buckets that would be full by now; if that is not enough, the longest idle.
    private func sweep(_ state: inout State, now: ContinuousClock.Instant) {
        state.lastSweep = now
        state.buckets = state.buckets.filter { now - $0.value.updated < refillTime }
        if state.buckets.count >= maxKeys {
            let keep = state.buckets.sorted { $0.value.updated > $1.value.updated }.prefix(maxKeys / 2)
            state.buckets = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
        }
    }
}
