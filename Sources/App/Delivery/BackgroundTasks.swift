import Synchronization

/// The deliverer's unstructured tasks: submit attempts that outlived their budget.
///
/// They are unstructured on purpose (the request that started them must not cancel them), so
/// something has to remember them for ``Deliverer/run()`` to wait on at shutdown.
final class BackgroundTasks: Sendable {
    private struct State {
        var nextKey = 0
        var tasks: [Int: Task<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Starts `operation` as an unstructured task that is tracked until it ends.
    func start(_ operation: @escaping @Sendable () async -> Void) {
        state.withLock { state in
            let key = state.nextKey
            state.nextKey += 1
            // Registered under the lock, so the task cannot remove itself before it is added.
            state.tasks[key] = Task {
                await operation()
                self.finish(key)
            }
        }
    }

    /// How many are still running.
    var count: Int { state.withLock { $0.tasks.count } }

    /// Returns once every task, including any started meanwhile, has ended.
    func waitForAll() async {
        while true {
            let running = state.withLock { Array($0.tasks.values) }
            if running.isEmpty { return }
            for task in running { await task.value }
        }
    }

    /// Cancels them all: only when a hard shutdown cannot wait any longer.
    func cancelAll() {
        for task in state.withLock({ Array($0.tasks.values) }) { task.cancel() }
    }

    private func finish(_ key: Int) {
        _ = state.withLock { $0.tasks.removeValue(forKey: key) }
    }
}
