import AlvariaModels
import Foundation
import Testing

@testable import App

@Suite("The token provider")
struct TokenProviderTests {
    @Test("refreshes when less than max(60 s, 10 %) of the lifetime remains")
    func refreshMargin() {
        let start = ContinuousClock.now
        let hour = TokenProvider.token(from: AccessTokenResponse(accessToken: "t", scope: nil, expiresIn: 3600), obtainedAt: start)
        #expect(hour.refreshAt == start + .seconds(3240))
        #expect(hour.expiresAt == start + .seconds(3600))
        let tenMinutes = TokenProvider.token(from: AccessTokenResponse(accessToken: "t", scope: nil, expiresIn: 600), obtainedAt: start)
        #expect(tenMinutes.refreshAt == start + .seconds(540))
        let missing = TokenProvider.token(from: AccessTokenResponse(accessToken: "t", scope: nil, expiresIn: nil), obtainedAt: start)
        #expect(missing.expiresAt == start + .seconds(300))
        #expect(missing.refreshAt == start + .seconds(240))
        let short = TokenProvider.token(from: AccessTokenResponse(accessToken: "t", scope: nil, expiresIn: 30), obtainedAt: start)
        #expect(short.refreshAt == start + .seconds(15))
    }

    @Test("backs off with the deliverer's policy, from 1 s doubling to 60 s")
    func backoff() {
        #expect(TokenProvider.backoff.ceiling(afterAttempts: 1) == .seconds(1))
        #expect(TokenProvider.backoff.ceiling(afterAttempts: 3) == .seconds(4))
        #expect(TokenProvider.backoff.ceiling(afterAttempts: 20) == .seconds(60))
        #expect((0..<50).allSatisfy { _ in TokenProvider.backoff.delay(afterAttempts: 7) <= .seconds(60) })
    }

    @Test("refreshes in the background near expiry while callers keep the cached token")
    func backgroundRefresh() async throws {
        try await LiveSimulator.run { simulator in
            let clock = ManualClock()
            try await withAlvariaClient(simulator, clock: clock) { _, tokens in
                let first = try await tokens.accessToken()
                clock.advance(by: .seconds(3599 - 300))
                #expect(try await tokens.accessToken() == first)
                let second = try await tokens.waitForRefresh()
                #expect(second != first)
                #expect(try await tokens.accessToken() == second)
            }
            #expect(simulator.tokenRequests == 2)
        }
    }

    @Test("keeps using the cached token while the token service fails, and retries after a backoff")
    func failingRefresh() async throws {
        try await LiveSimulator.run { simulator in
            let clock = ManualClock()
            try await withAlvariaClient(simulator, clock: clock) { _, tokens in
                let first = try await tokens.accessToken()
                try await simulator.setFaults(#"{"failNextToken": 1}"#)
                clock.advance(by: .seconds(3599 - 300))
                #expect(try await tokens.accessToken() == first)
                _ = try? await tokens.waitForRefresh()
                #expect(try await tokens.accessToken() == first)
                #expect(simulator.tokenRequests == 2, "no new attempt before the backoff has passed")
                clock.advance(by: .seconds(2))
                #expect(try await tokens.accessToken() == first)
                let second = try await tokens.waitForRefresh()
                #expect(second != first)
            }
            #expect(simulator.tokenRequests == 3)
        }
    }

    @Test("gets a new token once the cached one has truly expired")
    func expiredToken() async throws {
        try await LiveSimulator.run { simulator in
            let clock = ManualClock()
            try await withAlvariaClient(simulator, clock: clock) { _, tokens in
                let first = try await tokens.accessToken()
                clock.advance(by: .seconds(3600))
                #expect(try await tokens.accessToken() != first)
            }
            #expect(simulator.tokenRequests == 2)
        }
    }

    @Test("reports wrong client credentials as invalid_client, retryable once an operator fixes them")
    func invalidClient() async throws {
        try await LiveSimulator.run { simulator in
            try await withAlvariaClient(simulator, clientSecret: "wrong") { client, tokens in
                let error = await #expect(throws: AlvariaError.self) { _ = try await tokens.accessToken() }
                #expect(error == .tokenService(.rejected(status: 401, error: "invalid_client", description: "Client authentication failed")))
                // An outcome waits for the fix rather than being lost (the deliverer retries it).
                #expect(error?.isRetryable == true)
                #expect(error?.reason.contains("wrong") == false)
                await #expect(throws: AlvariaError.self) { _ = try await client.context(for: SessionID("x")!, logger: quietLogger) }
            }
        }
    }

    @Test("reports a failing token service as a retryable error, and recovers")
    func tokenServiceDown() async throws {
        try await LiveSimulator.run { simulator in
            try await simulator.setFaults(#"{"failNextToken": 1}"#)
            try await withAlvariaClient(simulator) { _, tokens in
                await #expect(throws: AlvariaError.tokenService(.serverError(status: 500))) { _ = try await tokens.accessToken() }
                _ = try await tokens.accessToken()
            }
            #expect(simulator.tokenRequests == 2)
        }
    }

    @Test("reports a token service that does not answer in time as a timeout")
    func tokenTimeout() async throws {
        try await LiveSimulator.run { simulator in
            try await simulator.setFaults(#"{"latencyMs": 2000}"#)
            _ = try await withAlvariaClient(simulator, requestTimeout: .milliseconds(200)) { _, tokens in
                await #expect(throws: AlvariaError.tokenService(.timeout)) { _ = try await tokens.accessToken() }
            }
            try await simulator.setFaults(#"{"latencyMs": 0}"#)
        }
    }
}
