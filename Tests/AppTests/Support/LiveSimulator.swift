import AlvariaModels
import AlvariaSimulator
import AlvariaSimulatorTesting
import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Metrics
import NIOCore
import Synchronization
import Testing

@testable import App

/// A simulator on a real loopback port plus helpers to drive its control API over HTTP.
struct LiveSimulator: Sendable {
    let client: any TestClientProtocol
    let port: Int
    let state: SimulatorState

    var origin: String { "http://127.0.0.1:\(port)" }
    var endpoints: AlvariaEndpoints {
        AlvariaEndpoints(
            tokenURL: URL(string: "\(origin)/tokenservice/oauth2/access_token")!,
            apiBaseURL: URL(string: "\(origin)/via/v2")!
        )
    }

    static func run<Value: Sendable>(
        _ configuration: SimulatorConfiguration = SimulatorConfiguration(port: 0),
        _ body: @Sendable (LiveSimulator) async throws -> Value
    ) async throws -> Value {
        let state = SimulatorState()
        return try await withSimulator(configuration, state: state) { client in
            try await body(LiveSimulator(client: client, port: try #require(client.port), state: state))
        }
    }

    func createDialog(_ content: String, sessionId: String? = nil) async throws -> SessionID {
        try #require(SessionID(try await client.createDialog(content: content, sessionId: sessionId)))
    }

    func setFaults(_ json: String) async throws {
        try await client.setFaults(json)
    }

    func outcomes(_ sessionId: SessionID) throws -> [[OutcomeVariable]] {
        try #require(state.dialog(sessionId.rawValue)).outcomes.map(\.variables)
    }

    var tokenRequests: Int { state.stats.tokenRequests }

    /// Waits (bounded, 15 s) until the dialog has received `count` outcomes: delivery happens in
    /// the background, so tests observe it rather than guess a delay.
    func waitForOutcomes(_ sessionId: SessionID, count: Int = 1) async throws -> [[OutcomeVariable]] {
        let deadline = ContinuousClock.now + .seconds(15)
        while try outcomes(sessionId).count < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return try outcomes(sessionId)
    }
}

let quietLogger: Logger = {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return logger
}()

/// A clock the test moves by hand, for token lifetimes.
final class ManualClock: Sendable {
    private let start = ContinuousClock.now
    private let offset = Mutex(Duration.zero)

    func advance(by duration: Duration) { offset.withLock { $0 += duration } }
    var now: ContinuousClock.Instant { start + offset.withLock { $0 } }
}

/// An Alvaria client wired to a live simulator, shut down after the body.
func withAlvariaClient<Value: Sendable>(
    _ simulator: LiveSimulator,
    clientSecret: String = "demo-secret",
    requestTimeout: Duration = .seconds(5),
    clock: ManualClock? = nil,
    _ body: @Sendable (AlvariaClient, TokenProvider) async throws -> Value
) async throws -> Value {
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    let now: @Sendable () -> ContinuousClock.Instant
    if let clock { now = { clock.now } } else { now = { .now } }
    let tokens = TokenProvider(
        httpClient: http,
        endpoints: simulator.endpoints,
        credentials: .init(clientId: "demo", clientSecret: clientSecret, scope: "customerexperienceapi.disposableapp", realm: "demo"),
        timeout: requestTimeout,
        logger: quietLogger,
        metricsFactory: NOOPMetricsHandler.instance,
        now: now
    )
    let client = AlvariaClient(
        httpClient: http,
        tokens: tokens,
        endpoints: simulator.endpoints,
        orgId: "demo",
        apiKey: "demo-key",
        requestTimeout: requestTimeout,
        metricsFactory: NOOPMetricsHandler.instance,
        // These tests are about the calls, not the cap (UpstreamLimitTests): never refuse one for
        // waiting, however slow the machine.
        queueTimeout: .seconds(120)
    )
    do {
        let value = try await body(client, tokens)
        try await http.shutdown()
        return value
    } catch {
        try await http.shutdown()
        throw error
    }
}
