import Foundation
import Synchronization

@testable import App

/// The live event feed's outbox in memory, for tests above the store. It meets the same contract
/// as the real stores (`InMemoryEventStoreTests`): one lock around everything stands for the
/// database's atomic statements.
final class InMemoryEventStore: EventStore {
    private let rows = Mutex<[StoredEvent]>([])
    /// When set, every call fails with it (a database that went away).
    let failure = Mutex<(any Error)?>(nil)

    private func check() throws {
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// Milliseconds, as the real stores keep them.
    private static func stored(_ date: Date) -> Date { StoredTime.date(StoredTime.millis(date)) }

    func record(_ event: NewEvent) async throws {
        try check()
        try rows.withLock { rows in
            // The real tables' UNIQUE webhook_id.
            guard !rows.contains(where: { $0.webhookId == event.webhookId }) else {
                throw OutboxStoreError.unavailable(reason: "duplicate webhook id")
            }
            let created = Self.stored(event.createdAt)
            rows.append(
                StoredEvent(
                    id: (rows.last?.id ?? 0) + 1,
                    webhookId: event.webhookId,
                    sessionId: event.sessionId,
                    type: event.type,
                    body: event.body,
                    state: .pending,
                    attempts: 0,
                    createdAt: created,
                    nextAttemptAt: created,
                    claimedUntil: nil,
                    finishedAt: nil,
                    lastError: nil
                )
            )
        }
    }

    func claimDue(now: Date, limit: Int, claimUntil: Date) async throws -> [StoredEvent] {
        try check()
        let now = Self.stored(now)
        return rows.withLock { rows in
            var heads: [String: Int64] = [:]
            for row in rows where row.state == .pending && heads[row.sessionId] == nil { heads[row.sessionId] = row.id }
            let due = rows.indices.filter { index in
                let row = rows[index]
                return row.state == .pending && heads[row.sessionId] == row.id && (row.nextAttemptAt ?? .distantFuture) <= now
                    && (row.claimedUntil.map { $0 < now } ?? true)
            }
            .sorted { (rows[$0].nextAttemptAt ?? .distantFuture, rows[$0].id) < (rows[$1].nextAttemptAt ?? .distantFuture, rows[$1].id) }
            .prefix(limit)
            return due.map { index in
                rows[index].claimedUntil = Self.stored(claimUntil)
                return rows[index]
            }
        }
    }

    private func update(_ id: Int64, onlyPending: Bool, _ change: (inout StoredEvent) -> Void) throws {
        try check()
        rows.withLock { rows in
            guard let index = rows.firstIndex(where: { $0.id == id }), !onlyPending || rows[index].state == .pending else { return }
            change(&rows[index])
        }
    }

    func markDelivered(id: Int64, at: Date) async throws {
        try update(id, onlyPending: false) { row in
            row.state = .delivered
            row.attempts += 1
            row.finishedAt = Self.stored(at)
            row.nextAttemptAt = nil
            row.claimedUntil = nil
            row.lastError = nil
        }
    }

    func markAbandoned(id: Int64, reason: String, at: Date) async throws {
        try update(id, onlyPending: true) { row in
            row.state = .abandoned
            row.attempts += 1
            row.lastError = reason
            row.finishedAt = Self.stored(at)
            row.nextAttemptAt = nil
            row.claimedUntil = nil
        }
    }

    func scheduleRetry(id: Int64, attempts: Int, nextAttemptAt: Date, lastError: String) async throws {
        try update(id, onlyPending: true) { row in
            row.attempts = attempts
            row.nextAttemptAt = Self.stored(nextAttemptAt)
            row.lastError = lastError
            row.claimedUntil = nil
        }
    }

    func events(state: EventState?, limit: Int) async throws -> [StoredEvent] {
        try check()
        return rows.withLock { rows in Array(rows.filter { state == nil || $0.state == state }.prefix(limit)) }
    }

    func counts() async throws -> [EventState: Int] {
        try check()
        return rows.withLock { rows in
            Dictionary(uniqueKeysWithValues: EventState.allCases.map { state in (state, rows.count { $0.state == state }) })
        }
    }

    func purgeFinished(before: Date) async throws -> Int {
        try check()
        return rows.withLock { rows in
            let count = rows.count
            rows.removeAll { $0.state != .pending && ($0.finishedAt ?? .distantFuture) < before }
            return count - rows.count
        }
    }
}
