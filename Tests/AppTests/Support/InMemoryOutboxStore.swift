import AlvariaModels
import Foundation
import Synchronization

@testable import App

/// An outbox in memory, for tests of the logic above the store (the form flow through the router).
/// It meets the same contract as the real stores (`InMemoryOutboxStoreTests`); the real stores are
/// proven on real SQLite files and a real PostgreSQL server.
final class InMemoryOutboxStore: OutboxStore {
    private struct Row {
        var entry: OutboxEntry
        var sensitive: Set<String>
    }

    private let rows = Mutex<[Row]>([])
    /// The drafts of this "database", which `InMemoryDraftStore` reads and writes: an outcome's
    /// insert deletes its session's under the outbox's lock, as the real stores do in the insert's
    /// transaction. Always locked after `rows`, never before.
    let drafts = Mutex<[String: StoredDraft]>([:])
    /// The uploaded files of this "database", by id, which `InMemoryFileStore` reads and writes. An
    /// outcome's insert leaves them, as the real stores do.
    let files = Mutex<[String: StoredFile]>([:])
    /// When set, every call fails with it (a database that went away).
    let failure = Mutex<(any Error)?>(nil)
    /// Called at the start of every `isConsumed` (a test's rendezvous).
    let onIsConsumed = Mutex<(@Sendable () async -> Void)?>(nil)

    init() {}

    private func check() throws {
        if let error = failure.withLock({ $0 }) { throw error }
    }

    private func update(_ id: Int64, _ change: (inout Row) -> Void) {
        rows.withLock { rows in
            guard let index = rows.firstIndex(where: { $0.entry.id == id }) else { return }
            change(&rows[index])
        }
    }

    func enqueue(_ outcome: NewOutcome, claimedUntil: Date) async throws -> EnqueueResult {
        try check()
        return insert(outcome, claimedUntil: claimedUntil)
    }

    /// The insert behind ``enqueue(_:claimedUntil:)``, synchronous so that
    /// `InMemorySessionStateStore` can store a locked outcome while it holds a session's lock, as
    /// the real stores do in one transaction. `claimedUntil` nil: free for the next claim. Deletes
    /// the session's draft, stored or not, as the real stores' insertion does.
    func insert(_ outcome: NewOutcome, claimedUntil: Date?) -> EnqueueResult {
        rows.withLock { rows in
            drafts.withLock { _ = $0.removeValue(forKey: outcome.sessionId) }
            if rows.contains(where: { $0.entry.sessionId == outcome.sessionId }) { return .alreadyConsumed }
            let entry = OutboxEntry(
                id: (rows.map(\.entry.id).max() ?? 0) + 1,
                sessionId: outcome.sessionId,
                formId: outcome.formId,
                formVersion: outcome.formVersion,
                kind: outcome.kind,
                variables: outcome.variables,
                state: .queued,
                attempts: 0,
                createdAt: outcome.createdAt,
                nextAttemptAt: outcome.createdAt,
                claimedUntil: claimedUntil,
                deliveredAt: nil,
                lastError: nil
            )
            rows.append(Row(entry: entry, sensitive: outcome.sensitiveVariables))
            return .stored(entry)
        }
    }

    /// `body`'s result, run under the outbox's lock unless the session has its outcome (then nil):
    /// `InMemoryDraftStore`'s check-and-save, atomic like the real stores' one statement.
    func unlessConsumed<Value>(_ sessionId: String, _ body: () -> Value) -> Value? {
        rows.withLock { rows in rows.contains { $0.entry.sessionId == sessionId } ? nil : body() }
    }

    func isConsumed(sessionId: String) async throws -> Bool {
        if let onIsConsumed = onIsConsumed.withLock({ $0 }) { await onIsConsumed() }
        try check()
        return rows.withLock { $0.contains { $0.entry.sessionId == sessionId } }
    }

    func claimDue(now: Date, limit: Int, claimUntil: Date) async throws -> [OutboxEntry] {
        try check()
        return rows.withLock { rows in
            let due = rows.indices.filter { index in
                let entry = rows[index].entry
                return entry.state == .queued && (entry.nextAttemptAt ?? .distantFuture) <= now && (entry.claimedUntil.map { $0 < now } ?? true)
            }
            .sorted { (rows[$0].entry.nextAttemptAt!, rows[$0].entry.id) < (rows[$1].entry.nextAttemptAt!, rows[$1].entry.id) }
            .prefix(limit)
            return due.map { index in
                rows[index].entry.claimedUntil = claimUntil
                return rows[index].entry
            }
        }
    }

    func markDelivered(id: Int64, at: Date) async throws {
        try check()
        update(id) { row in
            row.entry.state = .delivered
            row.entry.attempts += 1
            row.entry.deliveredAt = at
            row.entry.nextAttemptAt = nil
            row.entry.claimedUntil = nil
            row.entry.variables = row.entry.variables?.filter { !row.sensitive.contains($0.id) }
        }
    }

    func markFailed(id: Int64, reason: String, at: Date) async throws {
        try check()
        update(id) { row in
            guard row.entry.state == .queued else { return }
            row.entry.state = .failed
            row.entry.attempts += 1
            row.entry.lastError = reason
            row.entry.nextAttemptAt = nil
            row.entry.claimedUntil = nil
        }
    }

    func scheduleRetry(id: Int64, attempts: Int, nextAttemptAt: Date, lastError: String) async throws {
        try check()
        update(id) { row in
            guard row.entry.state == .queued else { return }
            row.entry.attempts = attempts
            row.entry.nextAttemptAt = nextAttemptAt
            row.entry.lastError = lastError
            row.entry.claimedUntil = nil
        }
    }

    func entry(id: Int64) async throws -> OutboxEntry? {
        try check()
        return rows.withLock { $0.first { $0.entry.id == id }?.entry }
    }

    func entries(state: OutboxState?, limit: Int) async throws -> [OutboxEntry] {
        try check()
        return rows.withLock { rows in
            Array(rows.map(\.entry).filter { state == nil || $0.state == state }.sorted { $0.id > $1.id }.prefix(limit))
        }
    }

    func counts() async throws -> [OutboxState: Int] {
        try check()
        return rows.withLock { rows in
            Dictionary(uniqueKeysWithValues: OutboxState.allCases.map { state in (state, rows.count { $0.entry.state == state }) })
        }
    }

    func requeue(id: Int64, now: Date) async throws -> Bool {
        try check()
        return rows.withLock { rows in
            guard let index = rows.firstIndex(where: { $0.entry.id == id }), rows[index].entry.state != .delivered else { return false }
            rows[index].entry.state = .queued
            rows[index].entry.nextAttemptAt = now
            if let claim = rows[index].entry.claimedUntil, claim < now { rows[index].entry.claimedUntil = nil }
            return true
        }
    }

    func purgeDelivered(before: Date) async throws -> Int {
        try check()
        return rows.withLock { rows in
            let count = rows.count
            rows.removeAll { $0.entry.state == .delivered && ($0.entry.deliveredAt ?? .distantFuture) < before }
            return count - rows.count
        }
    }

    func eraseDeliveredValues(before: Date) async throws -> Int {
        try check()
        return rows.withLock { rows in
            var erased = 0
            for index in rows.indices
            where rows[index].entry.state == .delivered && (rows[index].entry.deliveredAt ?? .distantFuture) < before
                && rows[index].entry.variables != nil
            {
                rows[index].entry.variables = nil
                erased += 1
            }
            return erased
        }
    }

    func ping() async throws {
        try check()
    }
}
