import AlvariaModels
import Foundation
import HTTPTypes
import Logging
import Metrics
import Testing

@testable import App

/// A deliverer wired to a real SQLite file and a real Alvaria client talking HTTP to the simulator,
/// with a hand-moved clock.
struct DeliveryHarness: Sendable {
    let simulator: LiveSimulator
    let store: SQLiteOutboxStore
    let deliverer: Deliverer
    let clock: TestDateClock
    let tokens: TokenProvider
    let logs: CapturedLogs

    /// Backoff 1 s doubling up to 30 s; `pinnedJitter` fixes the fraction of each backoff window
    /// waited (random otherwise, as in production).
    static func run(
        maxAge: Duration = .seconds(3 * 86_400),
        pinnedJitter: Double? = nil,
        _ body: @Sendable (DeliveryHarness) async throws -> Void
    ) async throws {
        var settings = try await AppConfig.load(environment: [:]).delivery
        settings.backoffBase = .seconds(1)
        settings.backoffCap = .seconds(30)
        settings.maxAge = maxAge
        let finalSettings = settings
        try await withTemporaryFolder { folder in
            let store = try SQLiteOutboxStore.open(path: folder.appendingPathComponent("app.sqlite").path)
            try await LiveSimulator.run { simulator in
                try await withAlvariaClient(simulator) { client, tokens in
                    let clock = TestDateClock()
                    let logs = CapturedLogs()
                    let deliverer =
                        if let pinnedJitter {
                            Deliverer(
                                store: store,
                                poster: client,
                                settings: finalSettings,
                                logger: logs.logger,
                                pollInterval: .seconds(1),
                                now: clock.function,
                                retryPolicy: RetryPolicy(base: finalSettings.backoffBase, cap: finalSettings.backoffCap, fraction: { pinnedJitter }),
                                metricsFactory: NOOPMetricsHandler.instance
                            )
                        } else {
                            Deliverer(
                                store: store,
                                poster: client,
                                settings: finalSettings,
                                logger: logs.logger,
                                now: clock.function,
                                metricsFactory: NOOPMetricsHandler.instance
                            )
                        }
                    try await body(
                        DeliveryHarness(simulator: simulator, store: store, deliverer: deliverer, clock: clock, tokens: tokens, logs: logs)
                    )
                }
            }
            try store.close()
        }
    }

    /// Stores an outcome the way the submit path does: claimed for one lease from now.
    func enqueue(_ sessionId: SessionID, variables: [OutcomeVariable] = DeliveryHarness.variables) async throws -> OutboxEntry {
        try await store.enqueue(
            newOutcome(sessionId.rawValue, variables: variables, createdAt: clock.now),
            claimedUntil: clock.now.addingTimeInterval(deliverer.claimLease.inSeconds)
        ).storedEntry()
    }

    func entry(_ entry: OutboxEntry) async throws -> OutboxEntry {
        try #require(try await store.entry(id: entry.id))
    }

    static let variables = [
        OutcomeVariable(id: "newStreet", value: "PRIVATE-VALUE 1 Main St"), OutcomeVariable(id: "formStatus", value: "completed"),
    ]
}

@Suite("The deliverer against the simulator over HTTP")
struct DelivererTests {
    @Test("delivers at once on submit")
    func deliversAtOnce() async throws {
        try await DeliveryHarness.run { harness in
            let sessionId = try await harness.simulator.createDialog("x")
            let entry = try await harness.enqueue(sessionId)
            #expect(await harness.deliverer.deliverNow(entry, budget: .seconds(5), logger: harness.logs.logger) == .delivered)
            #expect(try harness.simulator.outcomes(sessionId) == [DeliveryHarness.variables])
            let delivered = try await harness.entry(entry)
            #expect(delivered.state == .delivered)
            #expect(delivered.attempts == 1)
            #expect(delivered.deliveredAt == harness.clock.now)
        }
    }

    @Test("retries after 500s with backoff and delivers exactly once")
    func retriesUntilDelivered() async throws {
        try await DeliveryHarness.run { harness in
            let sessionId = try await harness.simulator.createDialog("x")
            try await harness.simulator.setFaults(#"{"failNextOutcome": 3}"#)
            let entry = try await harness.enqueue(sessionId)
            #expect(await harness.deliverer.deliverNow(entry, budget: .seconds(5), logger: harness.logs.logger) == .pending)
            let afterFirst = try await harness.entry(entry)
            #expect(afterFirst.state == .queued)
            #expect(afterFirst.attempts == 1)
            #expect(afterFirst.lastError?.hasPrefix("500 server error") == true)
            #expect(afterFirst.claimedUntil == nil)

            for attempt in 2...4 {
                // Past any backoff: the jittered delay never exceeds the cap.
                harness.clock.advance(by: 30.001)
                await harness.deliverer.deliverDue()
                #expect(try await harness.entry(entry).attempts == attempt)
            }
            let delivered = try await harness.entry(entry)
            #expect(delivered.state == .delivered)
            #expect(delivered.lastError?.hasPrefix("500 server error") == true, "the last error is kept for operators")

            harness.clock.advance(by: 3600)
            await harness.deliverer.deliverDue()
            #expect(try harness.simulator.outcomes(sessionId) == [DeliveryHarness.variables])
            #expect(harness.simulator.state.stats.outcomeRequests == 4)
        }
    }

    @Test("waits out the backoff before trying again")
    func respectsBackoff() async throws {
        // Jitter pinned to its ceiling, so the due times are exact: 1s, then 2s, then 4s.
        try await DeliveryHarness.run(pinnedJitter: 1) { harness in
            let sessionId = try await harness.simulator.createDialog("x")
            try await harness.simulator.setFaults(#"{"failNextOutcome": 3}"#)
            let entry = try await harness.enqueue(sessionId)
            #expect(await harness.deliverer.deliverNow(entry, budget: .seconds(5), logger: harness.logs.logger) == .pending)
            for (wait, requests) in [(1.0, 2), (2.0, 3), (4.0, 4)] {
                #expect(try await harness.entry(entry).nextAttemptAt == harness.clock.now.addingTimeInterval(wait))
                harness.clock.advance(by: wait - 0.01)
                await harness.deliverer.deliverDue()
                #expect(harness.simulator.state.stats.outcomeRequests == requests - 1, "not due yet")
                harness.clock.advance(by: 0.01)
                await harness.deliverer.deliverDue()
                #expect(harness.simulator.state.stats.outcomeRequests == requests)
            }
            #expect(try await harness.entry(entry).state == .delivered)
        }
    }

    @Test("fails for good when the dialog has ended (404), keeping Alvaria's reason")
    func endedDialog() async throws {
        try await DeliveryHarness.run { harness in
            let sessionId = try await harness.simulator.createDialog("x")
            try await harness.simulator.client.execute(uri: "/simulator/dialogs/\(sessionId.rawValue)", method: .delete) { response in
                #expect(response.status == .noContent)
            }
            let entry = try await harness.enqueue(sessionId)
            let result = await harness.deliverer.deliverNow(entry, budget: .seconds(5), logger: harness.logs.logger)
            #expect(result.dialogEnded)
            guard case .failed(let reason, _) = result else {
                Issue.record("got \(result)")
                return
            }
            #expect(reason.hasPrefix("404 dialog not found"))
            let failed = try await harness.entry(entry)
            #expect(failed.state == .failed)
            #expect(failed.lastError == reason)
            harness.clock.advance(by: 3600)
            await harness.deliverer.deliverDue()
            #expect(harness.simulator.state.stats.outcomeRequests == 1, "a failed outcome is never retried")
        }
    }

    @Test("fails for good when the dialog never existed (404)")
    func unknownDialog() async throws {
        try await DeliveryHarness.run { harness in
            let entry = try await harness.enqueue(try #require(SessionID("never-created")))
            let result = await harness.deliverer.deliverNow(entry, budget: .seconds(5), logger: harness.logs.logger)
            #expect(result.dialogEnded)
            guard case .failed(let reason, _) = result else {
                Issue.record("got \(result)")
                return
            }
            #expect(reason.hasPrefix("404"))
            #expect(try await harness.entry(entry).state == .failed)
        }
    }

    @Test("fails for good when Alvaria refuses the outcome (400)")
    func refusedOutcome() async throws {
        try await DeliveryHarness.run { harness in
            let sessionId = try await harness.simulator.createDialog("x")
            let entry = try await harness.enqueue(sessionId, variables: [OutcomeVariable(id: "", value: "x")])
            let result = await harness.deliverer.deliverNow(entry, budget: .seconds(5), logger: harness.logs.logger)
            #expect(!result.dialogEnded, "a refusal is not an expired link")
            guard case .failed(let reason, _) = result else {
                Issue.record("got \(result)")
                return
            }
            #expect(reason.hasPrefix("400 bad request"))
            let failed = try await harness.entry(entry)
            #expect(failed.state == .failed)
            #expect(failed.lastError == reason)
            #expect(failed.attempts == 1)
        }
    }

    @Test("keeps retrying while no token can be had rather than losing the outcome")
    func retriesTokenFailures() async throws {
        try await DeliveryHarness.run { harness in
            let sessionId = try await harness.simulator.createDialog("x")
            try await harness.simulator.setFaults(#"{"failNextToken": 1}"#)
            let entry = try await harness.enqueue(sessionId)
            #expect(await harness.deliverer.deliverNow(entry, budget: .seconds(5), logger: harness.logs.logger) == .pending)
            #expect(try await harness.entry(entry).lastError?.hasPrefix("token service") == true)
            harness.clock.advance(by: 30.001)
            await harness.deliverer.deliverDue()
            #expect(try await harness.entry(entry).state == .delivered)
        }
    }

    @Test("gives up once the outcome is older than the maximum age")
    func givesUp() async throws {
        try await DeliveryHarness.run(maxAge: .seconds(60)) { harness in
            let sessionId = try await harness.simulator.createDialog("x")
            try await harness.simulator.setFaults(#"{"failNextOutcome": 100}"#)
            let entry = try await harness.enqueue(sessionId)
            #expect(await harness.deliverer.deliverNow(entry, budget: .seconds(5), logger: harness.logs.logger) == .pending)
            harness.clock.advance(by: 30.001)
            await harness.deliverer.deliverDue()
            #expect(try await harness.entry(entry).state == .queued, "30 s old: still within the maximum age")
            harness.clock.advance(by: 30.001)
            await harness.deliverer.deliverDue()
            let failed = try await harness.entry(entry)
            #expect(failed.state == .failed)
            #expect(failed.attempts == 3)
            #expect(failed.lastError?.hasPrefix("gave up after 1m: 500 server error") == true)
        }
    }

    @Test("answers pending past the budget and finishes the delivery in the background")
    func budgetExceeded() async throws {
        try await DeliveryHarness.run { harness in
            let sessionId = try await harness.simulator.createDialog("x")
            _ = try await harness.tokens.accessToken()  // so only the outcome call is slow
            try await harness.simulator.setFaults(#"{"latencyMs": 1500}"#)
            let entry = try await harness.enqueue(sessionId)
            let started = ContinuousClock.now
            #expect(await harness.deliverer.deliverNow(entry, budget: .milliseconds(100), logger: harness.logs.logger) == .pending)
            #expect(ContinuousClock.now - started < .milliseconds(1000))
            #expect(try await harness.entry(entry).state == .queued)

            await harness.deliverer.deliverDue()  // claimed by the attempt in flight: not posted twice
            await harness.deliverer.waitForBackgroundWork()
            #expect(try await harness.entry(entry).state == .delivered)
            #expect(try harness.simulator.outcomes(sessionId) == [DeliveryHarness.variables])
            #expect(harness.simulator.state.stats.outcomeRequests == 1)
        }
    }

    @Test("does not cancel the attempt when the submit is cancelled")
    func callerCancelled() async throws {
        try await DeliveryHarness.run { harness in
            let sessionId = try await harness.simulator.createDialog("x")
            _ = try await harness.tokens.accessToken()
            try await harness.simulator.setFaults(#"{"latencyMs": 300}"#)
            let entry = try await harness.enqueue(sessionId)
            let submit = Task { await harness.deliverer.deliverNow(entry, budget: .seconds(5), logger: harness.logs.logger) }
            submit.cancel()
            #expect(await submit.value == .pending)
            await harness.deliverer.waitForBackgroundWork()
            #expect(try await harness.entry(entry).state == .delivered)
        }
    }

    @Test("delivers a verification lock's outcome at its next pass, like any other")
    func deliversLockedOutcome() async throws {
        try await DeliveryHarness.run { harness in
            let sessionId = try await harness.simulator.createDialog("x")
            let sessions = SQLiteSessionStateStore(database: harness.store.database)
            let locked = [OutcomeVariable(id: "formStatus", value: "verificationFailed")]
            let result = try await sessions.attemptVerification(
                sessionId: sessionId.rawValue,
                maxAttempts: 1,
                lockedOutcome: newOutcome(sessionId.rawValue, kind: .locked, variables: locked, createdAt: harness.clock.now),
                at: harness.clock.now,
                isCorrect: { false }
            )
            #expect(result == .lockedNow)
            await harness.deliverer.deliverDue()
            #expect(try harness.simulator.outcomes(sessionId) == [locked])
            let entry = try #require(try await harness.store.entries(state: .delivered, limit: 10).first)
            #expect(entry.kind == .locked)
            #expect(entry.attempts == 1)
        }
    }

    @Test("delivers an outcome left behind by a crash once its claim expires")
    func crashLeftovers() async throws {
        try await DeliveryHarness.run { harness in
            let sessionId = try await harness.simulator.createDialog("x")
            let entry = try await harness.enqueue(sessionId)  // and the process died before posting
            await harness.deliverer.deliverDue()
            #expect(harness.simulator.state.stats.outcomeRequests == 0, "still claimed by the dead submit")
            harness.clock.advance(by: 61)
            await harness.deliverer.deliverDue()
            #expect(try await harness.entry(entry).state == .delivered)
            #expect(try harness.simulator.outcomes(sessionId) == [DeliveryHarness.variables])
        }
    }

    @Test("works through a backlog larger than one batch in one pass")
    func backlog() async throws {
        try await DeliveryHarness.run { harness in
            var entries: [(SessionID, OutboxEntry)] = []
            for _ in 0..<20 {
                let sessionId = try await harness.simulator.createDialog("x")
                entries.append((sessionId, try await harness.enqueue(sessionId)))
            }
            harness.clock.advance(by: 61)
            await harness.deliverer.deliverDue()
            #expect(try await harness.store.counts() == [.queued: 0, .delivered: 20, .failed: 0])
            for (sessionId, _) in entries {
                #expect(try harness.simulator.outcomes(sessionId).count == 1)
            }
            #expect(harness.simulator.state.stats.outcomeRequests == 20)
        }
    }

    @Test("logs ids, attempts, shortened sessions and reasons, never the values")
    func logging() async throws {
        try await DeliveryHarness.run { harness in
            let sessionId = try await harness.simulator.createDialog("x", sessionId: "session-with-a-long-id-123")
            try await harness.simulator.setFaults(#"{"failNextOutcome": 1}"#)
            let entry = try await harness.enqueue(sessionId)
            _ = await harness.deliverer.deliverNow(entry, budget: .seconds(5), logger: harness.logs.logger)
            harness.clock.advance(by: 30.001)
            await harness.deliverer.deliverDue()

            let lines = harness.logs.lines
            let retry = try #require(lines.first { $0.message.contains("will retry") })
            #expect(retry.metadata["outbox.id"] == "\(entry.id)")
            #expect(retry.metadata["outbox.attempts"] == "1")
            #expect(retry.metadata["session"] == sessionId.shortened)
            #expect(retry.metadata["alvaria.error"]?.hasPrefix("500 server error") == true)
            let delivered = try #require(lines.first { $0.message == "Outcome delivered" })
            #expect(delivered.metadata["outbox.attempts"] == "2")
            for line in lines {
                #expect(!line.text.contains("PRIVATE-VALUE"))
                #expect(!line.text.contains(sessionId.rawValue))
            }
        }
    }
}
