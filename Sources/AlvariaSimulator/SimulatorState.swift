public import AlvariaModels
public import Foundation
import Synchronization

/// Everything the simulator remembers: dialogs and the outcomes they received, issued tokens,
/// call counters and the faults to inject.
///
/// A `Mutex` rather than an actor because the connection-dropping channel handler must
/// consult the faults synchronously on the event loop.
public final class SimulatorState: Sendable {
    /// A CX dialog waiting for its disposable app.
    public struct Dialog: Sendable, Codable, Equatable {
        public var sessionId: String
        public var content: String
        public var ended: Bool
        public var createdAt: Date
        public var outcomes: [ReceivedOutcome]
    }

    /// One outcome as the simulator received it.
    public struct ReceivedOutcome: Sendable, Codable, Equatable {
        public var receivedAt: Date
        public var variables: [OutcomeVariable]
    }

    /// Fault injection, set through `POST /simulator/faults`.
    public struct Faults: Sendable, Codable, Equatable {
        public var failNextContext: Int?
        public var failNextOutcome: Int?
        public var failNextToken: Int?
        public var latencyMs: Int?
        public var dropNext: Int?
        public var expireTokens: Bool?
        /// Context calls are held until this many are in flight at once (at most 10 s), then all
        /// answered: a test of concurrency that does not depend on timing.
        public var holdContexts: Int?

        public init(
            failNextContext: Int? = nil,
            failNextOutcome: Int? = nil,
            failNextToken: Int? = nil,
            latencyMs: Int? = nil,
            dropNext: Int? = nil,
            expireTokens: Bool? = nil,
            holdContexts: Int? = nil
        ) {
            self.failNextContext = failNextContext
            self.failNextOutcome = failNextOutcome
            self.failNextToken = failNextToken
            self.latencyMs = latencyMs
            self.dropNext = dropNext
            self.expireTokens = expireTokens
            self.holdContexts = holdContexts
        }
    }

    /// Calls received, for tests that count (one token for many calls, one outcome per submit).
    public struct Stats: Sendable, Codable, Equatable {
        public var tokenRequests = 0
        public var tokensIssued = 0
        public var contextRequests = 0
        public var outcomeRequests = 0
        public var outcomesAccepted = 0
        public var dropped = 0
        /// Outcome requests received and not yet answered (latency included): what a client that
        /// dies now may have posted without learning the result.
        public var outcomesInFlight = 0
        /// The most outcome requests ever in flight at once.
        public var maxOutcomesInFlight = 0
        /// Context requests received and not yet answered (latency included).
        public var contextsInFlight = 0
        /// The most context requests ever in flight at once: what a client's concurrency cap must bound.
        public var maxContextsInFlight = 0
    }

    /// Which kind of API call a fault applies to.
    enum Call { case token, context, outcome }

    private struct State {
        var dialogs: [String: Dialog] = [:]
        var tokens: [String: Date] = [:]
        var failNext: [Call: Int] = [:]
        var latencyMs = 0
        var dropNext = 0
        var stats = Stats()
        /// `holdContexts`: 0 when context calls are not held.
        var holdContexts = 0
        var held: [UUID: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    // MARK: Dialogs

    /// Starts a dialog; a fresh random sessionId when none is given.
    public func createDialog(content: String, sessionId: String? = nil) -> Dialog {
        let id = sessionId ?? "sim-" + Self.randomToken(length: 20)
        let dialog = Dialog(sessionId: id, content: content, ended: false, createdAt: Date(), outcomes: [])
        state.withLock { $0.dialogs[id] = dialog }
        return dialog
    }

    public func dialog(_ sessionId: String) -> Dialog? {
        state.withLock { $0.dialogs[sessionId] }
    }

    /// The dialogs, newest first, for the console.
    public func dialogs() -> [Dialog] {
        state.withLock { Array($0.dialogs.values) }.sorted { $0.createdAt > $1.createdAt }
    }

    /// Ends a dialog: later API calls for it get 404. False when there was no such dialog.
    @discardableResult
    public func endDialog(_ sessionId: String) -> Bool {
        state.withLock { state in
            guard state.dialogs[sessionId] != nil else { return false }
            state.dialogs[sessionId]?.ended = true
            return true
        }
    }

    /// The live dialog, or nil when unknown or ended (what Alvaria answers 404 for).
    func activeDialog(_ sessionId: String) -> Dialog? {
        state.withLock { state in
            guard let dialog = state.dialogs[sessionId], !dialog.ended else { return nil }
            return dialog
        }
    }

    /// Appends an outcome to a live dialog; false when the dialog is unknown or ended.
    func receiveOutcome(_ variables: [OutcomeVariable], for sessionId: String) -> Bool {
        state.withLock { state in
            guard let dialog = state.dialogs[sessionId], !dialog.ended else { return false }
            state.dialogs[sessionId]?.outcomes.append(ReceivedOutcome(receivedAt: Date(), variables: variables))
            state.stats.outcomesAccepted += 1
            return true
        }
    }

    /// Marks a context or outcome request as received (latency included); pair with ``answered(_:)``.
    func received(_ call: Call) {
        guard let (current, maximum) = Self.inFlightFields(call) else { return }
        let released = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.stats[keyPath: current] += 1
            state.stats[keyPath: maximum] = max(state.stats[keyPath: maximum], state.stats[keyPath: current])
            guard call == .context, state.holdContexts > 0, state.stats.contextsInFlight >= state.holdContexts else { return [] }
            state.holdContexts = 0
            defer { state.held = [:] }
            return Array(state.held.values)
        }
        for continuation in released { continuation.resume() }
    }

    /// Waits while context calls are held (`holdContexts`), at most `timeout`.
    func waitWhileContextsHeld(timeout: Duration = .seconds(10)) async {
        let id = UUID()
        let timer = Task {
            try? await Task.sleep(for: timeout)
            state.withLock { $0.held.removeValue(forKey: id) }?.resume()
        }
        defer { timer.cancel() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let wait = state.withLock { state -> Bool in
                guard state.holdContexts > 0 else { return false }
                state.held[id] = continuation
                return true
            }
            if !wait { continuation.resume() }
        }
    }

    func answered(_ call: Call) {
        guard let (current, _) = Self.inFlightFields(call) else { return }
        state.withLock { $0.stats[keyPath: current] -= 1 }
    }

    private static func inFlightFields(_ call: Call) -> (WritableKeyPath<Stats, Int>, WritableKeyPath<Stats, Int>)? {
        switch call {
        case .context: (\.contextsInFlight, \.maxContextsInFlight)
        case .outcome: (\.outcomesInFlight, \.maxOutcomesInFlight)
        case .token: nil
        }
    }

    /// Counts an API call as received, before any check or fault.
    func count(_ call: Call) {
        state.withLock { state in
            switch call {
            case .token: state.stats.tokenRequests += 1
            case .context: state.stats.contextRequests += 1
            case .outcome: state.stats.outcomeRequests += 1
            }
        }
    }

    // MARK: Tokens

    func issueToken(lifetime: Int) -> String {
        let token = Self.randomToken(length: 40)
        state.withLock { state in
            state.tokens[token] = Date().addingTimeInterval(TimeInterval(lifetime))
            state.stats.tokensIssued += 1
        }
        return token
    }

    func isValidToken(_ token: String) -> Bool {
        state.withLock { state in
            guard let expiry = state.tokens[token] else { return false }
            return expiry > Date()
        }
    }

    // MARK: Faults

    /// Applies a fault request: counts replace the current ones, `expireTokens` acts at once.
    public func apply(_ faults: Faults) {
        state.withLock { state in
            if let n = faults.failNextContext { state.failNext[.context] = max(0, n) }
            if let n = faults.failNextOutcome { state.failNext[.outcome] = max(0, n) }
            if let n = faults.failNextToken { state.failNext[.token] = max(0, n) }
            if let ms = faults.latencyMs { state.latencyMs = max(0, ms) }
            if let n = faults.dropNext { state.dropNext = max(0, n) }
            if let n = faults.holdContexts { state.holdContexts = max(0, n) }
            if faults.expireTokens == true {
                let now = Date()
                for key in state.tokens.keys { state.tokens[key] = now }
            }
        }
    }

    /// True when this call should fail with 500 (and uses up one of the injected failures).
    func consumeFailure(_ call: Call) -> Bool {
        state.withLock { state in
            guard let remaining = state.failNext[call], remaining > 0 else { return false }
            state.failNext[call] = remaining - 1
            return true
        }
    }

    /// True when this connection should be closed without an answer.
    func consumeDrop() -> Bool {
        state.withLock { state in
            guard state.dropNext > 0 else { return false }
            state.dropNext -= 1
            state.stats.dropped += 1
            return true
        }
    }

    var latency: Duration {
        .milliseconds(state.withLock { $0.latencyMs })
    }

    public var stats: Stats {
        state.withLock { $0.stats }
    }

    public var currentFaults: Faults {
        state.withLock { state in
            Faults(
                failNextContext: state.failNext[.context] ?? 0,
                failNextOutcome: state.failNext[.outcome] ?? 0,
                failNextToken: state.failNext[.token] ?? 0,
                latencyMs: state.latencyMs,
                dropNext: state.dropNext,
                expireTokens: nil,
                holdContexts: state.holdContexts
            )
        }
    }

    private static func randomToken(length: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
