import AlvariaModels
import Foundation
import Testing

@testable import App

/// An outbox with one entry in each situation an operator meets, written through the real store
/// the way the deliverer writes it. Every value holds `PRIVATE-VALUE`, so a test can check that
/// nothing prints one.
struct FilledOutbox: Sendable {
    /// Delivered 9 days before `now`: past a 7-day retention.
    let oldDelivered: OutboxEntry
    /// Delivered a day before `now`.
    let recentDelivered: OutboxEntry
    /// Refused by Alvaria (404) an hour before `now`.
    let failed: OutboxEntry
    /// Failed twice with a 500, next attempt 5 minutes after `now`.
    let queued: OutboxEntry

    static let privateValue = "PRIVATE-VALUE"
    static let failedReason = "404 dialog not found: Dialog not found"
    static let retryReason = "500 server error: Internal Server Error"

    /// Session ids long enough to be shortened in listings.
    static let sessions = (
        oldDelivered: "old-delivered-session-0001", recentDelivered: "recent-delivered-session-0002",
        failed: "failed-session-0003", queued: "queued-session-0004"
    )

    static func fill(_ store: any OutboxStore, now: Date) async throws -> FilledOutbox {
        let days = { (count: Double) in now.addingTimeInterval(-count * 86_400) }
        let variables = [OutcomeVariable(id: "newStreet", value: "\(privateValue) 1 Main St"), OutcomeVariable(id: "formStatus", value: "completed")]
        let store = store
        func enqueue(_ sessionId: String, createdAt: Date, kind: OutcomeKind = .submitted) async throws -> OutboxEntry {
            // Claimed until its creation: not claimed any more, as after a finished attempt.
            try await store.enqueue(newOutcome(sessionId, kind: kind, variables: variables, createdAt: createdAt), claimedUntil: createdAt)
                .storedEntry()
        }
        let oldDelivered = try await enqueue(sessions.oldDelivered, createdAt: days(10))
        try await store.markDelivered(id: oldDelivered.id, at: days(9))
        let recentDelivered = try await enqueue(sessions.recentDelivered, createdAt: days(2), kind: .declined)
        try await store.markDelivered(id: recentDelivered.id, at: days(1))
        let failed = try await enqueue(sessions.failed, createdAt: now.addingTimeInterval(-3600))
        try await store.markFailed(id: failed.id, reason: failedReason, at: now.addingTimeInterval(-3600))
        let queued = try await enqueue(sessions.queued, createdAt: now.addingTimeInterval(-600))
        try await store.scheduleRetry(id: queued.id, attempts: 2, nextAttemptAt: now.addingTimeInterval(300), lastError: retryReason)

        let reread = { (entry: OutboxEntry) in try #require(try await store.entry(id: entry.id)) }
        return FilledOutbox(
            oldDelivered: try await reread(oldDelivered),
            recentDelivered: try await reread(recentDelivered),
            failed: try await reread(failed),
            queued: try await reread(queued)
        )
    }
}
