import PropertyBased
import Testing

@testable import App

@Suite("The retry policy")
struct RetryPolicyTests {
    let policy = RetryPolicy(base: .seconds(1), cap: .seconds(600))

    @Test("doubles the ceiling with each attempt until the cap")
    func ceilingGrows() {
        #expect(policy.ceiling(afterAttempts: 1) == .seconds(1))
        #expect(policy.ceiling(afterAttempts: 2) == .seconds(2))
        #expect(policy.ceiling(afterAttempts: 3) == .seconds(4))
        #expect(policy.ceiling(afterAttempts: 10) == .seconds(512))
        #expect(policy.ceiling(afterAttempts: 11) == .seconds(600))
        for attempts in 1..<200 {
            #expect(policy.ceiling(afterAttempts: attempts + 1) >= policy.ceiling(afterAttempts: attempts))
        }
    }

    @Test("never waits less than zero nor more than the cap, whatever the attempt count")
    func bounded() async {
        await propertyCheck(count: 500, input: Gen.int(in: -5...10_000)) { attempts in
            let delay = policy.delay(afterAttempts: attempts)
            #expect(delay >= .zero)
            #expect(delay <= .seconds(600))
            #expect(delay <= policy.ceiling(afterAttempts: attempts))
        }
        #expect(policy.delay(afterAttempts: .max) <= .seconds(600))
        #expect(policy.ceiling(afterAttempts: .min) == .seconds(1))
    }

    @Test("spreads delays over the whole window (full jitter)")
    func fullJitter() {
        let delays = (0..<2000).map { _ in policy.delay(afterAttempts: 4) }
        #expect(delays.allSatisfy { $0 >= .zero && $0 <= .seconds(8) })
        #expect(delays.contains { $0 < .seconds(1) }, "the low end of 0...8 s is used")
        #expect(delays.contains { $0 > .seconds(7) }, "the high end of 0...8 s is used")
        #expect(Set(delays).count > 1000)
    }

    @Test("grows its delays with the attempts on average")
    func growsOnAverage() {
        func mean(_ attempts: Int) -> Double {
            (0..<2000).map { _ in policy.delay(afterAttempts: attempts).inSeconds }.reduce(0, +) / 2000
        }
        // Expected means 0.5, 4 and 32 s: far enough apart that sampling noise cannot swap them.
        #expect(mean(1) < mean(4))
        #expect(mean(4) < mean(7))
    }

    @Test("keeps a pinned fraction inside the window")
    func pinnedFraction() {
        #expect(RetryPolicy(base: .seconds(1), cap: .seconds(10), fraction: { 1 }).delay(afterAttempts: 3) == .seconds(4))
        #expect(RetryPolicy(base: .seconds(1), cap: .seconds(10), fraction: { 0 }).delay(afterAttempts: 3) == .zero)
        #expect(RetryPolicy(base: .seconds(1), cap: .seconds(10), fraction: { 7 }).delay(afterAttempts: 3) == .seconds(4))
        #expect(RetryPolicy(base: .seconds(1), cap: .seconds(10), fraction: { -1 }).delay(afterAttempts: 3) == .zero)
        #expect(RetryPolicy(base: .seconds(1), cap: .seconds(10), fraction: { .nan }).delay(afterAttempts: 3) == .seconds(4))
    }

    @Test("writes durations the way the delivery keys are written")
    func describesDurations() {
        #expect(Deliverer.describe(.seconds(3 * 86_400)) == "3d")
        #expect(Deliverer.describe(.seconds(7200)) == "2h")
        #expect(Deliverer.describe(.seconds(300)) == "5m")
        #expect(Deliverer.describe(.seconds(90)) == "90s")
        #expect(Deliverer.describe(.milliseconds(1500)) == "1.5s")
        #expect(Deliverer.describe(.milliseconds(250)) == "250ms")
    }
}
