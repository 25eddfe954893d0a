import Synchronization

/// An async semaphore bounding the calls to Alvaria in flight, so that a flood of page loads
/// cannot exhaust the Alvaria quota. Waiters queue in order without polling; one that would
/// wait longer than its timeout (or is cancelled) gives up instead.
final class UpstreamGate: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var available: Int
        var waiters: [Waiter] = []
        var nextId: UInt64 = 0
        /// Waiters that have an id but have not parked yet.
        var arriving: Set<UInt64> = []
        /// Arriving waiters whose time ran out before they parked.
        var abandoned: Set<UInt64> = []
    }

    private let state: Mutex<State>

    /// - Parameter limit: the most calls at once.
    init(limit: Int) {
        state = Mutex(State(available: max(1, limit)))
    }

    /// True with a permit; false when none came free in time or the task was cancelled.
    func acquire(timeout: Duration) async -> Bool {
        let id: UInt64? = state.withLock { state in
            if state.available > 0 {
                state.available -= 1
                return nil
            }
            state.nextId += 1
            state.arriving.insert(state.nextId)
            return state.nextId
        }
        guard let id else { return true }
        let timer = Task { [self] in
            try? await Task.sleep(for: timeout)
            if !Task.isCancelled { giveUp(id) }
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let tooLate = state.withLock { state in
                    state.arriving.remove(id)
                    if state.abandoned.remove(id) != nil { return true }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return false
                }
                if tooLate { continuation.resume(returning: false) }
            }
        } onCancel: {
            giveUp(id)
        }
    }

    /// Returns a permit: to the longest waiting caller, else to the pool.
    func release() {
        let next: Waiter? = state.withLock { state in
            guard !state.waiters.isEmpty else {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.continuation.resume(returning: true)
    }

    /// A waiter's time is up: it leaves the queue (or will not join it); no-op once it has a permit.
    private func giveUp(_ id: UInt64) {
        let waiter: Waiter? = state.withLock { state in
            if let index = state.waiters.firstIndex(where: { $0.id == id }) {
                return state.waiters.remove(at: index)
            }
            if state.arriving.contains(id) { state.abandoned.insert(id) }
            return nil
        }
        waiter?.continuation.resume(returning: false)
    }
}
