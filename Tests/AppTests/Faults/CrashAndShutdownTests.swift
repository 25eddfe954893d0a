import AlvariaModels
import Foundation
import GRDB
import Synchronization
import Testing

@testable import App

/// One real app process on SQLite, killed or stopped while it is busy.
@Suite("Crashes and shutdowns", .serialized)
struct CrashAndShutdownTests {
    @Test("SQLite: kill -9 during a burst of submits, restart, and every stored outcome is delivered")
    func killDuringBurst() async throws {
        try await LiveSimulator.run { simulator in
            let directory = try temporaryDirectory()
            let database = directory.appendingPathComponent("data/app.sqlite").path
            let environment = TestApp.environment(simulator: simulator, databasePath: database).merging(FaultHarness.fastDelivery) { $1 }
            // Alvaria down: everything stored stays queued, so nothing is in flight to Alvaria at the kill.
            try await simulator.setFaults(#"{"failNextOutcome": 1000000}"#)
            var created: [SessionID] = []
            for _ in 0..<60 { created.append(try await simulator.createDialog(#"{"form":"consent-capture"}"#)) }
            let sessions = created

            let first = try SpawnedApp.launch(environment: environment, directory: directory)
            let port = try await first.waitForPort()
            let confirmed = Confirmed()
            // Short deadline: requests caught by the kill must fail fast, not after 30 s.
            try await withHTTPDriver(port: port, timeout: .seconds(3)) { http in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        _ = try? await FaultHarness.concurrently(sessions, width: 12) { session in
                            if (try? await FaultHarness.submitConsent(http, session)) == 303 { confirmed.add(session) }
                        }
                    }
                    // Kill it mid-burst: some submits confirmed, some in flight, some never sent.
                    try await waitUntil(limit: .seconds(60)) { confirmed.count >= 15 }
                    try await first.kill9()
                    try await group.waitForAll()
                }
            }
            let stored = try Self.storedSessions(database)
            #expect(stored.count < sessions.count, "the kill came before the burst ended")
            #expect(Set(confirmed.all.map(\.rawValue)).isSubset(of: stored), "every confirmed submit was stored")

            try await simulator.setFaults(#"{"failNextOutcome": 0}"#)
            let second = try SpawnedApp.launch(environment: environment, directory: directory)
            _ = try await second.waitForPort()
            let storedSessions = stored.compactMap(SessionID.init)
            let counts = try await FaultHarness.waitForAll(simulator, storedSessions)
            let lost = counts.values.filter { $0 == 0 }.count
            let doubled = counts.values.filter { $0 > 1 }.count
            #expect(lost == 0)
            #expect(doubled == 0)
            #expect(try await second.terminate() == 0)
            print(
                "SQLite kill -9 mid-burst: \(sessions.count) sent, \(confirmed.count) confirmed, \(stored.count) stored, lost \(lost), doubled \(doubled)"
            )
        }
    }

    @Test("SIGTERM with requests and deliveries in flight: they complete and the exit code is 0")
    func gracefulShutdown() async throws {
        try await LiveSimulator.run { simulator in
            let directory = try temporaryDirectory()
            let environment = TestApp.environment(simulator: simulator, databasePath: directory.appendingPathComponent("app.sqlite").path)
                .merging(["DELIVERY_IMMEDIATE_BUDGET": "300ms"]) { $1 }
            let app = try SpawnedApp.launch(environment: environment, directory: directory)
            let port = try await app.waitForPort()
            var created: [SessionID] = []
            for _ in 0..<5 { created.append(try await simulator.createDialog(#"{"form":"consent-capture"}"#)) }
            let sessions = created
            try await withHTTPDriver(port: port) { http in
                var forms: [(SessionID, String)] = []
                for session in sessions {
                    let page = try await http.get("/f/consent-capture?sessionId=\(session.rawValue)")
                    forms.append((session, try #require(TestApp.token(in: page.text))))
                }
                let tokens = forms
                // Alvaria answers each outcome after 1.5 s: the submits wait 300 ms, then their
                // deliveries go on in the background; SIGTERM comes while both are under way.
                try await simulator.setFaults(#"{"latencyMs": 1500}"#)
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for (session, token) in tokens {
                        group.addTask {
                            try await http.post(
                                "/f/consent-capture?sessionId=\(session.rawValue)",
                                [("_token", token), ("fullName", "Ana"), ("channel", "sms"), ("consent", "true")]
                            ).status
                        }
                    }
                    try await waitUntil(limit: .seconds(60)) { simulator.state.stats.outcomesInFlight >= tokens.count }
                    kill(app.process.processIdentifier, SIGTERM)
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses == Array(repeating: 303, count: tokens.count), "requests in flight at SIGTERM complete")
            }
            #expect(try await app.waitForExit() == 0)
            for session in sessions {
                let received = try simulator.outcomes(session)
                #expect(received.count == 1, "the delivery in flight at SIGTERM completed before exit")
            }
            try await simulator.setFaults(#"{"latencyMs": 0}"#)
        }
    }

    /// The sessions with a stored outcome, read straight from the SQLite file.
    static func storedSessions(_ path: String) throws -> Set<String> {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in Set(try String.fetchAll(db, sql: "SELECT session_id FROM outbox")) }
    }
}

/// Sessions whose submit was confirmed (303), collected from concurrent tasks.
final class Confirmed: Sendable {
    private let sessions = Mutex<[SessionID]>([])
    func add(_ session: SessionID) { sessions.withLock { $0.append(session) } }
    var count: Int { sessions.withLock { $0.count } }
    var all: [SessionID] { sessions.withLock { $0 } }
}
