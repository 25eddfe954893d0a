/// One change of a session's draft at a time in this process: a post of a step reads the draft,
/// changes it and saves it, and two such posts at once (the page's autosave as the person leaves
/// a field, and the Continue that made them leave it) would otherwise both read the same draft,
/// and the later save would undo the earlier one: a step done, lost again.
///
/// Posts of one session queue in arrival order; other sessions never wait. Between instances on
/// PostgreSQL the two posts of a click rarely reach two instances at the same moment; if they do,
/// the step is asked again, with its answers kept.
actor SessionQueue {
    private var busy: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Runs `body` once the session's earlier bodies have finished.
    func serialized<Value: Sendable>(_ sessionId: String, _ body: @Sendable () async -> Value) async -> Value {
        if busy.contains(sessionId) {
            await withCheckedContinuation { waiting[sessionId, default: []].append($0) }
        } else {
            busy.insert(sessionId)
        }
        let value = await body()
        if var queue = waiting[sessionId], !queue.isEmpty {
            // Handed on: the session stays busy for the next one.
            queue.removeFirst().resume()
            waiting[sessionId] = queue.isEmpty ? nil : queue
        } else {
            busy.remove(sessionId)
        }
        return value
    }

    /// How many posts of the session wait behind the one running (for tests).
    func waitingCount(_ sessionId: String) -> Int {
        waiting[sessionId]?.count ?? 0
    }
}
