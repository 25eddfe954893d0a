public import Foundation
import Synchronization

/// Where the token service and the Disposable App API live.
///
/// Known from the configuration in live mode. In demo mode the in-process simulator may bind a
/// free port, so the addresses are known only once it runs: callers then wait for ``resolve(tokenURL:apiBaseURL:)``.
public final class AlvariaEndpoints: Sendable {
    /// The two addresses the client needs.
    public struct Resolved: Sendable, Equatable {
        public var tokenURL: URL
        /// Up to and including `/via/v2`.
        public var apiBaseURL: URL
    }

    private enum State {
        case pending([CheckedContinuation<Resolved, Never>])
        case resolved(Resolved)
    }

    private let state: Mutex<State>

    /// Addresses known now.
    public init(tokenURL: URL, apiBaseURL: URL) {
        state = Mutex(.resolved(Resolved(tokenURL: tokenURL, apiBaseURL: apiBaseURL)))
    }

    /// Addresses to be given later with ``resolve(tokenURL:apiBaseURL:)``.
    public init() {
        state = Mutex(.pending([]))
    }

    public func resolve(tokenURL: URL, apiBaseURL: URL) {
        let resolved = Resolved(tokenURL: tokenURL, apiBaseURL: apiBaseURL)
        let waiters = state.withLock { state -> [CheckedContinuation<Resolved, Never>] in
            guard case .pending(let waiters) = state else { return [] }
            state = .resolved(resolved)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: resolved) }
    }

    /// The addresses, waiting for them if they are not known yet.
    public func resolved() async -> Resolved {
        if case .resolved(let value) = state.withLock({ $0 }) { return value }
        return await withCheckedContinuation { continuation in
            let value = state.withLock { state -> Resolved? in
                switch state {
                case .resolved(let value):
                    return value
                case .pending(var waiters):
                    waiters.append(continuation)
                    state = .pending(waiters)
                    return nil
                }
            }
            if let value { continuation.resume(returning: value) }
        }
    }

    /// The addresses if known, without waiting.
    public var current: Resolved? {
        if case .resolved(let value) = state.withLock({ $0 }) { return value }
        return nil
    }
}
