import Foundation
import Testing

@testable import App

/// What every ``EventStore`` must do, whatever database is behind it.
///
/// Like `DraftStoreContract`: a store's suite runs every check as one parameterised test with a
/// factory of fresh, empty stores (see `SQLiteEventStoreTests.contract`).
struct EventStoreContract: Sendable {
    /// Makes a fresh, empty store each time it is called.
    let makeStore: @Sendable () async throws -> any EventStore

    /// One named check, for `@Test(arguments: EventStoreContract.checks)`.
    struct Check: Sendable, CustomTestStringConvertible {
        let name: String
        let run: @Sendable (EventStoreContract) async throws -> Void
        var testDescription: String { name }
    }

    static let checks: [Check] = [
        Check(name: "records an event pending, due when it happened, its id and body as given", run: { try await $0.recordsPending() }),
        Check(name: "hands out only each session's oldest pending event, oldest due first", run: { try await $0.claimsSessionHeads() }),
        Check(name: "never hands out a claimed event again before its claim expires", run: { try await $0.claimHolds() }),
        Check(name: "holds a session's next event back while the first is retried", run: { try await $0.retryKeepsOrder() }),
        Check(name: "lets a session's next event go once the first is delivered or given up", run: { try await $0.finishingFreesNext() }),
        Check(name: "claims at most the limit, the rest at the next claim", run: { try await $0.claimsUpToLimit() }),
        Check(name: "does not revive a finished event with a late retry or give-up", run: { try await $0.finishedStaysFinished() }),
        Check(name: "counts events in every state", run: { try await $0.countsStates() }),
        Check(name: "purges delivered and given-up events finished before a time, never pending ones", run: { try await $0.purges() }),
        Check(name: "refuses a second event with the same webhook id", run: { try await $0.uniqueWebhookId() }),
    ]

    private var t0: Date { TestDateClock.start }
    private func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    static func event(_ webhookId: String, session: String, type: EventType = .linkOpened, at: Date) -> NewEvent {
        NewEvent(webhookId: webhookId, sessionId: session, type: type, body: #"{"type":"\#(type.rawValue)","id":"\#(webhookId)"}"#, createdAt: at)
    }

    func recordsPending() async throws {
        let store = try await makeStore()
        try await store.record(Self.event("msg_a", session: "s-1", type: .formSubmitted, at: at(1.25)))
        let events = try await store.events(state: nil, limit: 10)
        #expect(events.count == 1)
        let event = try #require(events.first)
        #expect(event.webhookId == "msg_a")
        #expect(event.sessionId == "s-1")
        #expect(event.type == .formSubmitted)
        #expect(event.body == #"{"type":"form.submitted","id":"msg_a"}"#)
        #expect(event.state == .pending)
        #expect(event.attempts == 0)
        #expect(event.createdAt == at(1.25))
        #expect(event.nextAttemptAt == at(1.25))
        #expect(event.claimedUntil == nil && event.finishedAt == nil && event.lastError == nil)
    }

    func claimsSessionHeads() async throws {
        let store = try await makeStore()
        try await store.record(Self.event("msg_1", session: "s-1", at: at(2)))
        try await store.record(Self.event("msg_2", session: "s-2", at: at(1)))
        try await store.record(Self.event("msg_3", session: "s-1", at: at(3)))
        try await store.record(Self.event("msg_4", session: "s-2", at: at(4)))
        try await store.record(Self.event("msg_5", session: "s-3", at: at(5)))
        let claimed = try await store.claimDue(now: at(10), limit: 10, claimUntil: at(70))
        #expect(claimed.map(\.webhookId) == ["msg_2", "msg_1", "msg_5"])
        #expect(claimed.allSatisfy { $0.claimedUntil == at(70) })
        #expect(try await store.claimDue(now: at(10), limit: 10, claimUntil: at(70)).isEmpty, "the later ones wait for their sessions' first")
    }

    func claimHolds() async throws {
        let store = try await makeStore()
        try await store.record(Self.event("msg_1", session: "s-1", at: at(0)))
        try await store.record(Self.event("msg_2", session: "s-1", at: at(1)))
        #expect(try await store.claimDue(now: at(1), limit: 10, claimUntil: at(61)).map(\.webhookId) == ["msg_1"])
        #expect(try await store.claimDue(now: at(60), limit: 10, claimUntil: at(120)).isEmpty, "claimed, and the next waits behind it")
        // The claimer died: once the claim has expired, the same event, never the next, goes again.
        #expect(try await store.claimDue(now: at(62), limit: 10, claimUntil: at(122)).map(\.webhookId) == ["msg_1"])
    }

    func retryKeepsOrder() async throws {
        let store = try await makeStore()
        try await store.record(Self.event("msg_1", session: "s-1", at: at(0)))
        try await store.record(Self.event("msg_2", session: "s-1", at: at(1)))
        let first = try #require(try await store.claimDue(now: at(1), limit: 10, claimUntil: at(61)).first)
        try await store.scheduleRetry(id: first.id, attempts: 1, nextAttemptAt: at(30), lastError: "the receiver answered 500")
        #expect(try await store.claimDue(now: at(2), limit: 10, claimUntil: at(62)).isEmpty, "not due yet, and the next waits for it")
        let again = try await store.claimDue(now: at(30), limit: 10, claimUntil: at(90))
        #expect(again.map(\.webhookId) == ["msg_1"])
        #expect(again.first?.attempts == 1)
        #expect(again.first?.lastError == "the receiver answered 500")
    }

    func finishingFreesNext() async throws {
        let store = try await makeStore()
        try await store.record(Self.event("msg_1", session: "s-1", at: at(0)))
        try await store.record(Self.event("msg_2", session: "s-1", at: at(1)))
        try await store.record(Self.event("msg_3", session: "s-1", at: at(2)))
        let first = try #require(try await store.claimDue(now: at(3), limit: 10, claimUntil: at(63)).first)
        try await store.markDelivered(id: first.id, at: at(4))
        let second = try #require(try await store.claimDue(now: at(5), limit: 10, claimUntil: at(65)).first)
        #expect(second.webhookId == "msg_2")
        try await store.markAbandoned(id: second.id, reason: "gave up after 1d: the receiver answered 500", at: at(6))
        #expect(try await store.claimDue(now: at(7), limit: 10, claimUntil: at(67)).map(\.webhookId) == ["msg_3"])

        let events = try await store.events(state: nil, limit: 10)
        #expect(events.map(\.state) == [.delivered, .abandoned, .pending])
        #expect(events[0].attempts == 1 && events[0].finishedAt == at(4) && events[0].nextAttemptAt == nil && events[0].claimedUntil == nil)
        #expect(events[1].lastError == "gave up after 1d: the receiver answered 500" && events[1].finishedAt == at(6))
    }

    func claimsUpToLimit() async throws {
        let store = try await makeStore()
        for index in 0..<5 { try await store.record(Self.event("msg_\(index)", session: "s-\(index)", at: at(Double(index)))) }
        #expect(try await store.claimDue(now: at(10), limit: 3, claimUntil: at(70)).map(\.webhookId) == ["msg_0", "msg_1", "msg_2"])
        #expect(try await store.claimDue(now: at(10), limit: 3, claimUntil: at(70)).map(\.webhookId) == ["msg_3", "msg_4"])
    }

    func finishedStaysFinished() async throws {
        let store = try await makeStore()
        try await store.record(Self.event("msg_1", session: "s-1", at: at(0)))
        let event = try #require(try await store.claimDue(now: at(1), limit: 10, claimUntil: at(61)).first)
        try await store.markDelivered(id: event.id, at: at(2))
        try await store.scheduleRetry(id: event.id, attempts: 5, nextAttemptAt: at(3), lastError: "late")
        try await store.markAbandoned(id: event.id, reason: "late", at: at(3))
        let stored = try #require(try await store.events(state: nil, limit: 10).first)
        #expect(stored.state == .delivered)
        #expect(stored.attempts == 1)
        #expect(stored.lastError == nil)
        #expect(try await store.claimDue(now: at(10), limit: 10, claimUntil: at(70)).isEmpty)
    }

    func countsStates() async throws {
        let store = try await makeStore()
        #expect(try await store.counts() == [.pending: 0, .delivered: 0, .abandoned: 0])
        for index in 0..<4 { try await store.record(Self.event("msg_\(index)", session: "s-\(index)", at: at(0))) }
        let claimed = try await store.claimDue(now: at(1), limit: 2, claimUntil: at(61))
        try await store.markDelivered(id: claimed[0].id, at: at(2))
        try await store.markAbandoned(id: claimed[1].id, reason: "old", at: at(2))
        #expect(try await store.counts() == [.pending: 2, .delivered: 1, .abandoned: 1])
        #expect(try await store.events(state: .pending, limit: 10).count == 2)
    }

    func purges() async throws {
        let store = try await makeStore()
        for index in 0..<4 { try await store.record(Self.event("msg_\(index)", session: "s-\(index)", at: at(0))) }
        let claimed = try await store.claimDue(now: at(1), limit: 3, claimUntil: at(61))
        try await store.markDelivered(id: claimed[0].id, at: at(10))
        try await store.markAbandoned(id: claimed[1].id, reason: "old", at: at(20))
        try await store.markDelivered(id: claimed[2].id, at: at(30))
        #expect(try await store.purgeFinished(before: at(25)) == 2)
        #expect(try await store.events(state: nil, limit: 10).map(\.webhookId) == ["msg_2", "msg_3"])
        #expect(try await store.purgeFinished(before: at(1000)) == 1, "the pending one stays, however old")
        #expect(try await store.events(state: nil, limit: 10).map(\.webhookId) == ["msg_3"])
    }

    func uniqueWebhookId() async throws {
        let store = try await makeStore()
        try await store.record(Self.event("msg_1", session: "s-1", at: at(0)))
        await #expect(throws: (any Error).self) { try await store.record(Self.event("msg_1", session: "s-2", at: at(1))) }
        #expect(try await store.events(state: nil, limit: 10).count == 1)
    }
}
