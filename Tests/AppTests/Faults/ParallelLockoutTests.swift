import AlvariaModels
import Foundation
import GRDB
import Testing

@testable import App

/// Wrong verification answers fired in parallel at real app processes: the database counts them,
/// so the session locks after exactly `maxAttempts` comparisons and its locked Outcome reaches
/// Alvaria once, however many instances take the answers.
@Suite("Verification lockout under parallel attempts", .serialized)
struct ParallelLockoutTests {
    static let attempts = 50

    @Test(
        "50 wrong answers in parallel to two instances on PostgreSQL: 3 comparisons, one locked Outcome",
        .enabled(if: PostgresTestServer.isAvailable, "needs TEST_POSTGRES_URL (scripts/test.sh starts one)")
    )
    func twoInstancesOnPostgres() async throws {
        try await PostgresTestServer.withDatabases { makeDatabase in
            try await LiveSimulator.run { simulator in
                let database = try await makeDatabase()
                let (instances, ports) = try await MultiInstanceTests.launchInstances(2, simulator: simulator, database: database)
                try await Self.lockout(simulator: simulator, ports: ports, label: "two instances on PostgreSQL")
                for instance in instances { #expect(try await instance.terminate() == 0) }
            }
        }
    }

    @Test("50 wrong answers in parallel to one instance on SQLite: 3 comparisons, one locked Outcome")
    func oneInstanceOnSQLite() async throws {
        try await LiveSimulator.run { simulator in
            let directory = try temporaryDirectory()
            let environment = TestApp.environment(simulator: simulator, databasePath: directory.appendingPathComponent("app.sqlite").path)
                .merging(FaultHarness.fastDelivery) { $1 }
            let app = try SpawnedApp.launch(environment: environment, directory: directory)
            try await Self.lockout(simulator: simulator, ports: [try await app.waitForPort()], label: "one instance on SQLite")
            #expect(try await app.terminate() == 0)
        }
    }

    static func lockout(simulator: LiveSimulator, ports: [Int], label: String) async throws {
        let sessionId = try await simulator.createDialog(VerificationTests.context)
        let uri = "/f/contact-details?sessionId=\(sessionId.rawValue)"
        let statuses = try await withHTTPDriver(port: ports[0]) { first in
            try await withHTTPDriver(port: ports[ports.count - 1]) { second in
                let drivers = [first, second]
                // A token from each instance's verification step, as each browser would have.
                var tokens: [String] = []
                for driver in drivers {
                    tokens.append(try #require(TestApp.token(in: try await driver.get(uri).text)))
                }
                let issued = tokens
                return try await FaultHarness.concurrently(Array(0..<attempts), width: attempts) { index in
                    try await drivers[index % 2].post(
                        "/f/contact-details/verify?sessionId=\(sessionId.rawValue)",
                        [("_token", issued[index % 2])] + VerificationTests.wrong
                    ).status
                }
            }
        }
        #expect(statuses.filter { $0 == 422 }.count == 2, "\(statuses)")
        #expect(statuses.filter { $0 == 403 }.count == attempts - 2, "\(statuses)")

        var results: [String: Double] = [:]
        for port in Set(ports) {
            let text = try await withHTTPDriver(port: port) { try await $0.get("/metrics").text }
            for sample in try PrometheusText(text).samples where sample.name == "verification_attempts_total" {
                results[sample.labels["result"] ?? "", default: 0] += sample.value
            }
        }
        let compared = Int(results["wrong", default: 0] + results["locked", default: 0] + results["verified", default: 0])
        let refused = Int(results["refused", default: 0])
        #expect(compared == 3, "\(results)")
        #expect(refused == attempts - 3, "\(results)")

        let outcomes = try await simulator.waitForOutcomes(sessionId)
        #expect(outcomes == [[OutcomeVariable(id: "formStatus", value: "verificationFailed")]])
        #expect(simulator.state.stats.outcomesAccepted == 1)
        print(
            "parallel lockout (\(label)): \(attempts) wrong answers sent, \(compared) compared, \(refused) refused, \(outcomes.count) locked Outcome posted"
        )
    }

    @Test("expiresAfter holds across a restart: the first opening is in the database, and then no call to Alvaria")
    func expiryAcrossRestart() async throws {
        try await LiveSimulator.run { simulator in
            let directory = try temporaryDirectory()
            let databasePath = directory.appendingPathComponent("app.sqlite").path
            let environment = TestApp.environment(simulator: simulator, databasePath: databasePath).merging(FaultHarness.fastDelivery) { $1 }
            let sessionId = try await simulator.createDialog(VerificationTests.context)
            let uri = "/f/contact-details?sessionId=\(sessionId.rawValue)"

            let first = try SpawnedApp.launch(environment: environment, directory: directory)
            let opened = try await withHTTPDriver(port: try await first.waitForPort()) { try await $0.get(uri) }
            #expect(opened.status == 200)
            #expect(try await first.terminate() == 0)

            // A day and an hour later, as far as the stored first opening says.
            let queue = try DatabaseQueue(path: databasePath)
            try await queue.write { db in
                try db.execute(
                    sql: "UPDATE session_state SET first_opened_at = first_opened_at - ? WHERE session_id = ?",
                    arguments: [25 * 3600 * 1000, sessionId.rawValue]
                )
                #expect(db.changesCount == 1)
            }
            try queue.close()

            let second = try SpawnedApp.launch(environment: environment, directory: directory)
            let calls = simulator.state.stats.contextRequests
            let expired = try await withHTTPDriver(port: try await second.waitForPort()) { try await $0.get("/s/\(sessionId.rawValue)") }
            #expect(expired.status == 410)
            #expect(expired.text.contains("This link has expired"))
            #expect(simulator.state.stats.contextRequests == calls, "an expired link is answered without Alvaria")
            #expect(try await second.terminate() == 0)
        }
    }
}
