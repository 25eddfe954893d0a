import AlvariaModels
import Foundation
import Testing

@testable import App

/// What every ``OutboxStore`` must do, whatever database is behind it.
///
/// A store's suite runs every check as one parameterised test with a factory of fresh, empty
/// stores (see `SQLiteOutboxStoreTests.contract`); a PostgreSQL store runs the same list.
struct OutboxStoreContract: Sendable {
    /// Makes a fresh, empty store each time it is called.
    let makeStore: @Sendable () async throws -> any OutboxStore

    /// One named check, for `@Test(arguments: OutboxStoreContract.checks)`.
    struct Check: Sendable, CustomTestStringConvertible {
        let name: String
        let run: @Sendable (OutboxStoreContract) async throws -> Void
        var testDescription: String { name }
    }

    static let checks: [Check] = [
        Check(name: "stores an outcome and reads it back", run: { try await $0.storesAndReadsBack() }),
        Check(name: "refuses a second outcome for the same session", run: { try await $0.refusesSecondOutcome() }),
        Check(name: "stores exactly one of 8 concurrent outcomes for one session", run: { try await $0.oneOfConcurrentEnqueues() }),
        Check(name: "knows which sessions are consumed", run: { try await $0.knowsConsumedSessions() }),
        Check(name: "claims only due entries whose claim has expired", run: { try await $0.claimsDueAndUnclaimed() }),
        Check(name: "claims oldest due first, up to the limit", run: { try await $0.claimsUpToLimit() }),
        Check(name: "never hands one entry to two concurrent claimers", run: { try await $0.concurrentClaimsAreDisjoint() }),
        Check(name: "records a delivery", run: { try await $0.recordsDelivery() }),
        Check(name: "records a final failure without undoing a delivery", run: { try await $0.recordsFailure() }),
        Check(name: "schedules a retry and releases the claim", run: { try await $0.schedulesRetry() }),
        Check(name: "lists entries by state, newest first, and counts them", run: { try await $0.listsAndCounts() }),
        Check(name: "answers a readiness ping", run: { try await $0.pings() }),
        Check(name: "requeues a failed entry, not a delivered one", run: { try await $0.requeues() }),
        Check(name: "erases the values of old deliveries and keeps their metadata", run: { try await $0.erasesValues() }),
        Check(name: "purges old deliveries only", run: { try await $0.purgesDelivered() }),
        Check(name: "keeps sensitive values in place until delivered, then erases them", run: { try await $0.erasesSensitiveValues() }),
    ]

    private var t0: Date { TestDateClock.start }
    private func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    func storesAndReadsBack() async throws {
        let store = try await makeStore()
        let variables = [
            OutcomeVariable(id: "newStreet", value: "Calle Ñandú 5, \"B\" <apt> & co\n2º"),
            OutcomeVariable(id: "empty", value: ""),
            OutcomeVariable(id: "formStatus", value: "completed"),
        ]
        let entry = try await store.enqueue(newOutcome("s-1", kind: .declined, variables: variables), claimedUntil: at(60)).storedEntry()
        #expect(entry.sessionId == "s-1")
        #expect(entry.formId == "address-update")
        #expect(entry.kind == .declined)
        #expect(entry.variables == variables)
        #expect(entry.state == .queued)
        #expect(entry.attempts == 0)
        #expect(entry.createdAt == t0)
        #expect(entry.nextAttemptAt == t0)
        #expect(entry.claimedUntil == at(60))
        #expect(entry.deliveredAt == nil)
        #expect(entry.lastError == nil)
        #expect(try await store.entry(id: entry.id) == entry)
        #expect(try await store.entry(id: entry.id + 1000) == nil)
    }

    func refusesSecondOutcome() async throws {
        let store = try await makeStore()
        let first = try await store.enqueue(newOutcome("s-1"), claimedUntil: at(60)).storedEntry()
        let replay = newOutcome("s-1", kind: .declined, variables: [OutcomeVariable(id: "formStatus", value: "declined")], createdAt: at(5))
        #expect(try await store.enqueue(replay, claimedUntil: at(65)) == .alreadyConsumed)
        #expect(try await store.entry(id: first.id) == first)
        #expect(try await store.entries(state: nil, limit: 10).count == 1)
        // Another session is not affected.
        _ = try await store.enqueue(newOutcome("s-2"), claimedUntil: at(60)).storedEntry()
    }

    func oneOfConcurrentEnqueues() async throws {
        let store = try await makeStore()
        let results = try await withThrowingTaskGroup(of: EnqueueResult.self) { group in
            for index in 0..<8 {
                let outcome = newOutcome("s-race", variables: [OutcomeVariable(id: "click", value: "\(index)")])
                group.addTask { try await store.enqueue(outcome, claimedUntil: self.at(60)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.filter { $0 != .alreadyConsumed }.count == 1)
        #expect(results.filter { $0 == .alreadyConsumed }.count == 7)
        #expect(try await store.entries(state: nil, limit: 10).count == 1)
    }

    func knowsConsumedSessions() async throws {
        let store = try await makeStore()
        #expect(try await store.isConsumed(sessionId: "s-1") == false)
        let entry = try await store.enqueue(newOutcome("s-1"), claimedUntil: at(60)).storedEntry()
        #expect(try await store.isConsumed(sessionId: "s-1"))
        #expect(try await store.isConsumed(sessionId: "s-2") == false)
        try await store.markFailed(id: entry.id, reason: "404 dialog not found", at: at(1))
        #expect(try await store.isConsumed(sessionId: "s-1"), "a failed outcome still consumes its session")
    }

    func claimsDueAndUnclaimed() async throws {
        let store = try await makeStore()
        let entry = try await store.enqueue(newOutcome("s-1"), claimedUntil: at(60)).storedEntry()
        #expect(try await store.claimDue(now: at(10), limit: 8, claimUntil: at(70)).isEmpty, "claimed by the submit path")

        let claimed = try await store.claimDue(now: at(61), limit: 8, claimUntil: at(121))
        #expect(claimed.map(\.id) == [entry.id])
        #expect(claimed.first?.claimedUntil == at(121))
        #expect(try await store.claimDue(now: at(62), limit: 8, claimUntil: at(122)).isEmpty, "claimed by the first claimer")
        #expect(try await store.claimDue(now: at(122), limit: 8, claimUntil: at(182)).map(\.id) == [entry.id], "its claim expired")

        try await store.scheduleRetry(id: entry.id, attempts: 1, nextAttemptAt: at(500), lastError: "500 server error")
        #expect(try await store.claimDue(now: at(499), limit: 8, claimUntil: at(559)).isEmpty, "not due yet")
        #expect(try await store.claimDue(now: at(500), limit: 8, claimUntil: at(560)).map(\.id) == [entry.id], "due at its time")

        try await store.markDelivered(id: entry.id, at: at(501))
        #expect(try await store.claimDue(now: at(10_000), limit: 8, claimUntil: at(10_060)).isEmpty, "delivered entries are never due")
    }

    func claimsUpToLimit() async throws {
        let store = try await makeStore()
        var ids: [Int64] = []
        // Created in reverse order of due time, so "oldest due first" is not just "lowest id first".
        for index in 0..<5 {
            let entry = try await store.enqueue(newOutcome("s-\(index)", createdAt: at(Double(10 - index))), claimedUntil: at(0)).storedEntry()
            ids.append(entry.id)
        }
        let first = try await store.claimDue(now: at(100), limit: 3, claimUntil: at(160))
        #expect(first.map(\.id) == [ids[4], ids[3], ids[2]])
        let second = try await store.claimDue(now: at(100), limit: 3, claimUntil: at(160))
        #expect(second.map(\.id) == [ids[1], ids[0]])
        #expect(try await store.claimDue(now: at(100), limit: 3, claimUntil: at(160)).isEmpty)
    }

    func concurrentClaimsAreDisjoint() async throws {
        let store = try await makeStore()
        for index in 0..<20 {
            _ = try await store.enqueue(newOutcome("s-\(index)"), claimedUntil: at(0)).storedEntry()
        }
        let batches = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for _ in 0..<6 {
                group.addTask { try await store.claimDue(now: self.at(1), limit: 5, claimUntil: self.at(61)).map(\.id) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let all = batches.flatMap { $0 }
        #expect(all.count == 20, "6 claimers of 5 take all 20")
        #expect(Set(all).count == all.count, "no entry went to two claimers")
    }

    func recordsDelivery() async throws {
        let store = try await makeStore()
        let entry = try await store.enqueue(newOutcome("s-1"), claimedUntil: at(60)).storedEntry()
        try await store.markDelivered(id: entry.id, at: at(2))
        let delivered = try #require(try await store.entry(id: entry.id))
        #expect(delivered.state == .delivered)
        #expect(delivered.attempts == 1)
        #expect(delivered.deliveredAt == at(2))
        #expect(delivered.nextAttemptAt == nil)
        #expect(delivered.claimedUntil == nil)
        #expect(delivered.variables == entry.variables, "values stay until the retention purge")
    }

    func recordsFailure() async throws {
        let store = try await makeStore()
        let entry = try await store.enqueue(newOutcome("s-1"), claimedUntil: at(60)).storedEntry()
        try await store.scheduleRetry(id: entry.id, attempts: 1, nextAttemptAt: at(5), lastError: "timeout")
        try await store.markFailed(id: entry.id, reason: "404 dialog not found: Dialog not found.", at: at(6))
        let failed = try #require(try await store.entry(id: entry.id))
        #expect(failed.state == .failed)
        #expect(failed.attempts == 2)
        #expect(failed.lastError == "404 dialog not found: Dialog not found.")
        #expect(failed.nextAttemptAt == nil)
        #expect(failed.claimedUntil == nil)
        #expect(failed.deliveredAt == nil)

        // A late, slow deliverer cannot turn a delivered entry into a failed or queued one.
        let other = try await store.enqueue(newOutcome("s-2"), claimedUntil: at(60)).storedEntry()
        try await store.markDelivered(id: other.id, at: at(1))
        try await store.markFailed(id: other.id, reason: "500 server error", at: at(2))
        try await store.scheduleRetry(id: other.id, attempts: 5, nextAttemptAt: at(3), lastError: "timeout")
        let stillDelivered = try #require(try await store.entry(id: other.id))
        #expect(stillDelivered.state == .delivered)
        #expect(stillDelivered.attempts == 1)
        #expect(stillDelivered.lastError == nil)
        #expect(stillDelivered.nextAttemptAt == nil)
    }

    func schedulesRetry() async throws {
        let store = try await makeStore()
        let entry = try await store.enqueue(newOutcome("s-1"), claimedUntil: at(60)).storedEntry()
        try await store.scheduleRetry(id: entry.id, attempts: 3, nextAttemptAt: at(30), lastError: "503 server error")
        let retried = try #require(try await store.entry(id: entry.id))
        #expect(retried.state == .queued)
        #expect(retried.attempts == 3)
        #expect(retried.nextAttemptAt == at(30))
        #expect(retried.lastError == "503 server error")
        #expect(retried.claimedUntil == nil, "the claim is released")
        #expect(try await store.claimDue(now: at(30), limit: 8, claimUntil: at(90)).map(\.id) == [entry.id], "due at once, not after the old claim")
    }

    func listsAndCounts() async throws {
        let store = try await makeStore()
        #expect(try await store.counts() == [.queued: 0, .delivered: 0, .failed: 0])
        var ids: [Int64] = []
        for index in 0..<4 {
            ids.append(try await store.enqueue(newOutcome("s-\(index)"), claimedUntil: at(60)).storedEntry().id)
        }
        try await store.markDelivered(id: ids[0], at: at(1))
        try await store.markDelivered(id: ids[1], at: at(1))
        try await store.markFailed(id: ids[2], reason: "400 bad request", at: at(1))

        #expect(try await store.counts() == [.queued: 1, .delivered: 2, .failed: 1])
        #expect(try await store.entries(state: .queued, limit: 10).map(\.id) == [ids[3]])
        #expect(try await store.entries(state: .delivered, limit: 10).map(\.id) == [ids[1], ids[0]])
        #expect(try await store.entries(state: .failed, limit: 10).map(\.id) == [ids[2]])
        #expect(try await store.entries(state: nil, limit: 2).map(\.id) == [ids[3], ids[2]])
    }

    func pings() async throws {
        let store = try await makeStore()
        try await store.ping()
        _ = try await store.enqueue(newOutcome("s-1"), claimedUntil: at(60))
        try await store.ping()
    }

    func requeues() async throws {
        let store = try await makeStore()
        let failed = try await store.enqueue(newOutcome("s-1"), claimedUntil: at(60)).storedEntry()
        try await store.markFailed(id: failed.id, reason: "404 dialog not found", at: at(1))
        let delivered = try await store.enqueue(newOutcome("s-2"), claimedUntil: at(60)).storedEntry()
        try await store.markDelivered(id: delivered.id, at: at(1))

        #expect(try await store.requeue(id: failed.id, now: at(100)))
        let requeued = try #require(try await store.entry(id: failed.id))
        #expect(requeued.state == .queued)
        #expect(requeued.nextAttemptAt == at(100))
        #expect(requeued.claimedUntil == nil)
        #expect(requeued.variables == failed.variables)
        #expect(try await store.claimDue(now: at(100), limit: 10, claimUntil: at(160)).map(\.id) == [failed.id])

        // A queued entry whose claim is live keeps it: its attempt in flight must not be joined.
        let inFlight = try await store.enqueue(newOutcome("s-3"), claimedUntil: at(160)).storedEntry()
        #expect(try await store.requeue(id: inFlight.id, now: at(100)))
        #expect(try await store.entry(id: inFlight.id)?.claimedUntil == at(160))

        #expect(try await store.requeue(id: delivered.id, now: at(100)) == false)
        #expect(try await store.entry(id: delivered.id)?.state == .delivered)
        #expect(try await store.requeue(id: delivered.id + 1000, now: at(100)) == false)
    }

    func erasesValues() async throws {
        let store = try await makeStore()
        let old = try await store.enqueue(newOutcome("s-old"), claimedUntil: at(60)).storedEntry()
        try await store.markDelivered(id: old.id, at: at(10))
        let recent = try await store.enqueue(newOutcome("s-recent"), claimedUntil: at(60)).storedEntry()
        try await store.markDelivered(id: recent.id, at: at(1000))
        let queued = try await store.enqueue(newOutcome("s-queued"), claimedUntil: at(60)).storedEntry()

        #expect(try await store.eraseDeliveredValues(before: at(500)) == 1)
        let erased = try #require(try await store.entry(id: old.id))
        #expect(erased.variables == nil)
        #expect(erased.state == .delivered)
        #expect(erased.sessionId == "s-old")
        #expect(erased.deliveredAt == at(10))
        #expect(try await store.entry(id: recent.id)?.variables == recent.variables)
        #expect(try await store.entry(id: queued.id)?.variables == queued.variables)
        #expect(try await store.isConsumed(sessionId: "s-old"), "erasing values keeps the session consumed")
        #expect(try await store.eraseDeliveredValues(before: at(500)) == 0, "nothing left to erase")
    }

    func purgesDelivered() async throws {
        let store = try await makeStore()
        let old = try await store.enqueue(newOutcome("s-old"), claimedUntil: at(60)).storedEntry()
        try await store.markDelivered(id: old.id, at: at(10))
        let recent = try await store.enqueue(newOutcome("s-recent"), claimedUntil: at(60)).storedEntry()
        try await store.markDelivered(id: recent.id, at: at(1000))
        let failed = try await store.enqueue(newOutcome("s-failed"), claimedUntil: at(60)).storedEntry()
        try await store.markFailed(id: failed.id, reason: "400 bad request", at: at(10))

        #expect(try await store.purgeDelivered(before: at(500)) == 1)
        #expect(try await store.entry(id: old.id) == nil)
        #expect(try await store.entry(id: recent.id) != nil)
        #expect(try await store.entry(id: failed.id) != nil, "failed outcomes stay for the operator")
    }

    func erasesSensitiveValues() async throws {
        let store = try await makeStore()
        let variables = [
            OutcomeVariable(id: "accountLast4", value: "4821"),
            OutcomeVariable(id: "contactMethod", value: "email"),
            OutcomeVariable(id: "pin", value: "9999"),
            OutcomeVariable(id: "callbackStatus", value: "requested"),
        ]
        var outcome = newOutcome("s-sensitive", variables: variables)
        outcome.sensitiveVariables = ["accountLast4", "pin"]
        let entry = try await store.enqueue(outcome, claimedUntil: at(60)).storedEntry()
        #expect(entry.variables == variables, "in their places, for delivery")
        #expect(try await store.claimDue(now: at(61), limit: 10, claimUntil: at(120)).first?.variables == variables)

        var other = newOutcome("s-failed", variables: variables)
        other.sensitiveVariables = outcome.sensitiveVariables
        let failed = try await store.enqueue(other, claimedUntil: at(60)).storedEntry()
        try await store.markFailed(id: failed.id, reason: "400 bad request", at: at(70))
        #expect(try await store.entry(id: failed.id)?.variables == variables, "a failed outcome keeps them for a retry")

        try await store.markDelivered(id: entry.id, at: at(80))
        let delivered = try #require(try await store.entry(id: entry.id))
        #expect(delivered.variables == [variables[1], variables[3]], "sensitive values go as soon as they are delivered")
        #expect(try await store.eraseDeliveredValues(before: at(500)) == 1)
        #expect(try await store.entry(id: entry.id)?.variables == nil)
    }
}
