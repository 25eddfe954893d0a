import Synchronization
import Testing

@testable import App

/// The async semaphore in front of Alvaria, on its own.
@Suite("Upstream concurrency gate")
struct UpstreamGateTests {
    @Test("no more than the limit hold a permit at once, and every waiter gets one as permits return")
    func boundsConcurrency() async {
        let gate = UpstreamGate(limit: 3)
        let counts = InFlightCounter()
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    guard await gate.acquire(timeout: .seconds(30)) else { return false }
                    counts.enter()
                    await Task.yield()
                    counts.leave()
                    gate.release()
                    return true
                }
            }
            let granted = await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            #expect(granted == 20)
        }
        #expect(counts.highest <= 3)
    }

    @Test("a caller that would wait past its timeout gives up, and its place is not lost for others")
    func timesOut() async {
        let gate = UpstreamGate(limit: 1)
        #expect(await gate.acquire(timeout: .zero))
        let started = ContinuousClock.now
        #expect(await gate.acquire(timeout: .milliseconds(50)) == false)
        #expect(ContinuousClock.now - started >= .milliseconds(50))
        #expect(await gate.acquire(timeout: .zero) == false)
        gate.release()
        #expect(await gate.acquire(timeout: .zero))
        gate.release()
    }

    @Test("a cancelled waiter leaves the queue without taking a permit")
    func cancellation() async {
        let gate = UpstreamGate(limit: 1)
        #expect(await gate.acquire(timeout: .zero))
        let waiter = Task { await gate.acquire(timeout: .seconds(30)) }
        waiter.cancel()
        #expect(await waiter.value == false)
        gate.release()
        #expect(await gate.acquire(timeout: .zero))
    }
}

/// How many tasks hold a permit now, and the most that ever did at once.
private final class InFlightCounter: Sendable {
    private let counts = Mutex((current: 0, highest: 0))

    func enter() {
        counts.withLock {
            $0.current += 1
            $0.highest = max($0.highest, $0.current)
        }
    }

    func leave() { counts.withLock { $0.current -= 1 } }

    var highest: Int { counts.withLock { $0.highest } }
}
