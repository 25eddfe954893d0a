import Testing

@testable import App

/// The token bucket on its own, with a clock the test moves by hand.
@Suite("Token bucket rate limiter")
struct TokenBucketLimiterTests {
    @Test("a client may burst up to the limit, then is refused with the seconds until the next token")
    func burstThenRefused() {
        let clock = ManualClock()
        let limiter = TokenBucketLimiter(perMinute: 6, now: { clock.now })
        for _ in 0..<6 { #expect(limiter.take("10.0.0.1") == .allowed) }
        // 6 per minute: one token every 10 seconds.
        #expect(limiter.take("10.0.0.1") == .limited(retryAfter: 10))
        clock.advance(by: .seconds(4))
        #expect(limiter.take("10.0.0.1") == .limited(retryAfter: 6))
    }

    @Test("another client's bucket is untouched by one client's burst")
    func clientsAreIndependent() {
        let clock = ManualClock()
        let limiter = TokenBucketLimiter(perMinute: 2, now: { clock.now })
        #expect(limiter.take("a") == .allowed)
        #expect(limiter.take("a") == .allowed)
        #expect(limiter.take("a") != .allowed)
        #expect(limiter.take("b") == .allowed)
        #expect(limiter.take("b") == .allowed)
        #expect(limiter.take("b") != .allowed)
    }

    @Test("the bucket refills at the configured rate, never beyond the burst")
    func refills() {
        let clock = ManualClock()
        let limiter = TokenBucketLimiter(perMinute: 60, now: { clock.now })
        for _ in 0..<60 { #expect(limiter.take("a") == .allowed) }
        #expect(limiter.take("a") == .limited(retryAfter: 1))
        clock.advance(by: .seconds(3))
        for _ in 0..<3 { #expect(limiter.take("a") == .allowed) }
        #expect(limiter.take("a") != .allowed)
        clock.advance(by: .seconds(3600))
        for _ in 0..<60 { #expect(limiter.take("a") == .allowed) }
        #expect(limiter.take("a") != .allowed)
    }

    @Test("0 per minute disables the limit")
    func disabled() {
        let limiter = TokenBucketLimiter(perMinute: 0)
        for _ in 0..<1000 { #expect(limiter.take("a") == .allowed) }
        #expect(limiter.trackedKeys == 0)
    }

    @Test("idle clients are forgotten, and the table never outgrows its bound")
    func memoryStaysBounded() {
        let clock = ManualClock()
        let limiter = TokenBucketLimiter(perMinute: 10, maxKeys: 100, now: { clock.now })
        for index in 0..<50 { _ = limiter.take("idle-\(index)") }
        #expect(limiter.trackedKeys == 50)
        clock.advance(by: .seconds(61))
        _ = limiter.take("new")
        #expect(limiter.trackedKeys == 1)
        for index in 0..<10_000 { _ = limiter.take("flood-\(index)") }
        #expect(limiter.trackedKeys <= 100)
    }
}
