import AlvariaModels
import Foundation
import Testing

@testable import App

@Suite("The Alvaria client against the simulator over HTTP")
struct AlvariaClientTests {
    @Test("fetches a session's context")
    func fetchesContext() async throws {
        try await LiveSimulator.run { simulator in
            let sessionId = try await simulator.createDialog(#"{"firstName":"Ana"}"#)
            try await withAlvariaClient(simulator) { client, _ in
                let context = try await client.context(for: sessionId, logger: quietLogger)
                #expect(context.content == #"{"firstName":"Ana"}"#)
            }
        }
    }

    @Test("a context over 1 MB is a final responseTooLarge, not a retryable transport error")
    func contextTooLarge() async throws {
        try await LiveSimulator.run { simulator in
            // Straight into the simulator's state: its control API takes contexts up to 256 KB.
            let dialog = simulator.state.createDialog(content: String(repeating: "x", count: 1024 * 1024 + 1))
            let sessionId = try #require(SessionID(dialog.sessionId))
            try await withAlvariaClient(simulator) { client, _ in
                await #expect(throws: AlvariaError.responseTooLarge) {
                    _ = try await client.context(for: sessionId, logger: quietLogger)
                }
                #expect(!AlvariaError.responseTooLarge.isRetryable)
            }
        }
    }

    @Test("posts an outcome that then shows on the dialog")
    func postsOutcome() async throws {
        try await LiveSimulator.run { simulator in
            let sessionId = try await simulator.createDialog("x")
            let variables = [OutcomeVariable(id: "newStreet", value: "1 Main St & <Co>"), OutcomeVariable(id: "formStatus", value: "completed")]
            try await withAlvariaClient(simulator) { client, _ in
                try await client.postOutcome(variables, for: sessionId, logger: quietLogger)
            }
            let received = try simulator.outcomes(sessionId)
            #expect(received == [variables])
        }
    }

    @Test("a sessionId with every punctuation mark it may hold travels verbatim, and reaches its dialog")
    func sessionIdInTheQuery() async throws {
        try await LiveSimulator.run { simulator in
            let sessionId = try await simulator.createDialog("colons", sessionId: "a:b.c_d-e")
            try await withAlvariaClient(simulator) { client, _ in
                #expect(
                    client.url(.context, sessionId: sessionId)
                        == "\(simulator.origin)/via/v2/organizations/demo/customerexperience/disposableApp/context?sessionId=a:b.c_d-e"
                )
                let context = try await client.context(for: sessionId, logger: quietLogger)
                #expect(context.content == "colons")
            }
        }
    }

    @Test("the one percent-encoding keeps unreserved characters and ':', and encodes everything else")
    func percentEncoding() {
        #expect(PercentEncoding.encode("Az09-._~:") == "Az09-._~:")
        #expect(PercentEncoding.encode("a b&c=d/e?f#g+h%") == "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25")
        #expect(PercentEncoding.encode("é") == "%C3%A9")
    }

    @Test("asks for a token once for many calls")
    func oneTokenForManyCalls() async throws {
        try await LiveSimulator.run { simulator in
            let sessionId = try await simulator.createDialog("x")
            try await withAlvariaClient(simulator) { client, _ in
                for _ in 0..<20 { _ = try await client.context(for: sessionId, logger: quietLogger) }
            }
            #expect(simulator.tokenRequests == 1)
            #expect(simulator.state.stats.contextRequests == 20)
        }
    }

    @Test("shares one token request among 100 concurrent cold calls")
    func singleFlight() async throws {
        try await LiveSimulator.run { simulator in
            let sessionId = try await simulator.createDialog("x")
            try await simulator.setFaults(#"{"latencyMs": 50}"#)
            try await withAlvariaClient(simulator) { client, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<100 {
                        group.addTask { _ = try await client.context(for: sessionId, logger: quietLogger) }
                    }
                    try await group.waitForAll()
                }
            }
            #expect(simulator.tokenRequests == 1)
            #expect(simulator.state.stats.contextRequests == 100)
        }
    }

    @Test("recovers from an expired or revoked token with exactly one refresh")
    func refreshesOnUnauthorized() async throws {
        try await LiveSimulator.run { simulator in
            let sessionId = try await simulator.createDialog("x")
            try await withAlvariaClient(simulator) { client, _ in
                _ = try await client.context(for: sessionId, logger: quietLogger)
                try await simulator.setFaults(#"{"expireTokens": true}"#)
                #expect(try await client.context(for: sessionId, logger: quietLogger).content == "x")
                _ = try await client.context(for: sessionId, logger: quietLogger)
            }
            #expect(simulator.tokenRequests == 2)
            #expect(simulator.state.stats.contextRequests == 4)
        }
    }

    @Test("maps 404 to dialogNotFound with Alvaria's reason")
    func notFound() async throws {
        try await LiveSimulator.run { simulator in
            try await withAlvariaClient(simulator) { client, _ in
                let error = await #expect(throws: AlvariaError.self) {
                    _ = try await client.context(for: SessionID("unknown")!, logger: quietLogger)
                }
                guard case .dialogNotFound(let body)? = error else {
                    Issue.record("got \(String(describing: error))")
                    return
                }
                #expect(body?.code == 404)
                #expect(error?.isRetryable == false)
            }
        }
    }

    @Test("maps 400 to badRequest with Alvaria's reasons")
    func badRequest() async throws {
        try await LiveSimulator.run { simulator in
            let sessionId = try await simulator.createDialog("x")
            try await withAlvariaClient(simulator) { client, _ in
                let error = await #expect(throws: AlvariaError.self) {
                    try await client.postOutcome([OutcomeVariable(id: "", value: "x")], for: sessionId, logger: quietLogger)
                }
                guard case .badRequest(let body)? = error else {
                    Issue.record("got \(String(describing: error))")
                    return
                }
                #expect(body?.errors?.first?.reason == "required")
                #expect(error?.reason.contains("400") == true)
            }
        }
    }

    @Test("maps 500 to a retryable serverError")
    func serverError() async throws {
        try await LiveSimulator.run { simulator in
            let sessionId = try await simulator.createDialog("x")
            try await simulator.setFaults(#"{"failNextOutcome": 1}"#)
            try await withAlvariaClient(simulator) { client, _ in
                let error = await #expect(throws: AlvariaError.self) {
                    try await client.postOutcome([OutcomeVariable(id: "a", value: "b")], for: sessionId, logger: quietLogger)
                }
                guard case .serverError(500, _)? = error else {
                    Issue.record("got \(String(describing: error))")
                    return
                }
                #expect(error?.isRetryable == true)
            }
            let received = try simulator.outcomes(sessionId)
            #expect(received.isEmpty)
        }
    }

    @Test("maps 406 and other statuses from their codes")
    func statusMapping() throws {
        #expect(throws: AlvariaError.notAcceptable(nil)) { try AlvariaClient.check(status: 406, data: Data()) }
        let refusal = ErrorResponse(code: 406, message: "Not acceptable.")
        #expect(throws: AlvariaError.notAcceptable(refusal)) {
            try AlvariaClient.check(status: 406, data: try JSONEncoder().encode(refusal))
        }
        #expect(throws: AlvariaError.unauthorized) { try AlvariaClient.check(status: 401, data: Data()) }
        #expect(throws: AlvariaError.unexpectedStatus(302)) { try AlvariaClient.check(status: 302, data: Data()) }
        #expect(throws: AlvariaError.serverError(status: 503, nil)) { try AlvariaClient.check(status: 503, data: Data("oops".utf8)) }
    }

    @Test("gives up after the request timeout")
    func timeout() async throws {
        try await LiveSimulator.run { simulator in
            let sessionId = try await simulator.createDialog("x")
            // A whole second: the first token request must fit in it even on a busy machine.
            try await withAlvariaClient(simulator, requestTimeout: .seconds(1)) { client, tokens in
                _ = try await tokens.accessToken()
                try await simulator.setFaults(#"{"latencyMs": 4000}"#)
                let started = ContinuousClock.now
                await #expect(throws: AlvariaError.timeout) {
                    _ = try await client.context(for: sessionId, logger: quietLogger)
                }
                #expect(ContinuousClock.now - started < .seconds(3))
                try await simulator.setFaults(#"{"latencyMs": 0}"#)
            }
        }
    }

    @Test("reports a connection closed without an answer as a retryable transport error")
    func droppedConnection() async throws {
        try await LiveSimulator.run { simulator in
            let sessionId = try await simulator.createDialog("x")
            try await withAlvariaClient(simulator) { client, tokens in
                _ = try await tokens.accessToken()
                try await simulator.setFaults(#"{"dropNext": 1}"#)
                let error = await #expect(throws: AlvariaError.self) {
                    _ = try await client.context(for: sessionId, logger: quietLogger)
                }
                guard case .transport? = error else {
                    Issue.record("got \(String(describing: error))")
                    return
                }
                #expect(error?.isRetryable == true)
            }
        }
    }
}
