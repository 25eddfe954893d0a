import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Testing

@testable import App

/// The cap on concurrent calls to Alvaria: a flood of page loads queues briefly, then is told
/// to come back (503), and Alvaria never sees more calls at once than the cap.
@Suite("Cap on concurrent upstream calls")
struct UpstreamLimitTests {
    @Test("page loads beyond the cap wait their turn and all succeed within the queue timeout, never more than 2 at Alvaria")
    func queuedWithinTimeout() async throws {
        let overrides = ["LIMITS_UPSTREAM_CONCURRENCY": "2", "LIMITS_UPSTREAM_QUEUE_TIMEOUT": "10s"]
        try await TestApp.run(overrides: overrides) { app in
            let uri = try await Self.prepare(app, latencyMs: 200)
            let statuses = try await Self.concurrentLoads(6, of: uri, port: try #require(app.client.port))
            #expect(statuses == Array(repeating: 200, count: 6))
            #expect(app.simulator.state.stats.maxContextsInFlight == 2)
        }
    }

    @Test("below the cap, as many calls are at Alvaria at once as page loads wait for it: more than the client pool's default 8")
    func poolFollowsTheCap() async throws {
        let overrides = ["LIMITS_UPSTREAM_CONCURRENCY": "20", "LIMITS_UPSTREAM_QUEUE_TIMEOUT": "10s"]
        try await TestApp.run(overrides: overrides) { app in
            let uri = try await Self.prepare(app, latencyMs: 0)
            // Alvaria answers no context until 16 are waiting: reached only if the app lets 16 out at once.
            try await app.simulator.setFaults(#"{"holdContexts": 16}"#)
            let statuses = try await Self.concurrentLoads(16, of: uri, port: try #require(app.client.port))
            #expect(statuses == Array(repeating: 200, count: 16))
            #expect(app.simulator.state.stats.maxContextsInFlight == 16)
        }
    }

    @Test("page loads that would wait longer than the queue timeout get 503 'temporarily unavailable'")
    func refusedPastTimeout() async throws {
        let overrides = ["LIMITS_UPSTREAM_CONCURRENCY": "2", "LIMITS_UPSTREAM_QUEUE_TIMEOUT": "100ms"]
        try await TestApp.run(overrides: overrides) { app in
            let uri = try await Self.prepare(app, latencyMs: 1500)
            let port = try #require(app.client.port)
            let statuses = try await Self.concurrentLoads(6, of: uri, port: port)
            #expect(statuses.filter { $0 == 200 }.count == 2)
            #expect(statuses.filter { $0 == 503 }.count == 4)
            #expect(app.simulator.state.stats.maxContextsInFlight <= 2)
            // 6 arrived, but only the 2 that had a slot (plus the warm-up) reached Alvaria.
            #expect(app.simulator.state.stats.contextRequests == 3)
            let page = try await app.get(uri)
            #expect(page.status == .ok)
        }
    }

    @Test("an overloaded call is a retryable Alvaria error, so delivery tries again later")
    func overloadedIsRetryable() {
        #expect(AlvariaError.overloaded.isRetryable)
        #expect(AlvariaError.overloaded.reason == "too many concurrent upstream calls")
    }

    /// A dialog, its form loaded once (so the access token is cached), then Alvaria slowed down.
    private static func prepare(_ app: TestApp, latencyMs: Int) async throws -> String {
        let sessionId = try await app.simulator.createDialog("{}")
        let uri = "/f/address-update?sessionId=\(sessionId.rawValue)"
        #expect(try await app.get(uri).status == .ok)
        try await app.simulator.setFaults(#"{"latencyMs": \#(latencyMs)}"#)
        return uri
    }

    /// `count` loads at once, each on its own connection (the test client pipelines on one).
    private static func concurrentLoads(_ count: Int, of uri: String, port: Int) async throws -> [Int] {
        // Its own pool must not be what caps the loads (8 connections per host by default).
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: count))
        )
        do {
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<count {
                    group.addTask {
                        let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(uri)"), timeout: .seconds(30))
                        _ = try await response.body.collect(upTo: 1024 * 1024)
                        return Int(response.status.code)
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            try await client.shutdown()
            return statuses
        } catch {
            try await client.shutdown()
            throw error
        }
    }
}
