import Foundation
import Synchronization

@testable import App

/// Drafts in memory, for tests of the flow above the store. It meets the same contract as the real
/// stores (`InMemoryDraftStoreTests`).
///
/// The drafts live in ``outbox`` (its `drafts`), the two being one database: pass the
/// `InMemoryOutboxStore` the application under test uses, so that storing an outcome deletes the
/// session's draft and a save after it is refused, as with the real stores.
final class InMemoryDraftStore: DraftStore {
    let outbox: InMemoryOutboxStore
    /// When set, every call fails with it (a database that went away); the outbox's `failure`
    /// fails these calls too.
    let failure = Mutex<(any Error)?>(nil)
    /// Called once a draft is read, before it is returned (a test's rendezvous: a post held there
    /// goes on with what it read, however the draft changed meanwhile).
    let onRead = Mutex<(@Sendable () async -> Void)?>(nil)

    init(outbox: InMemoryOutboxStore = InMemoryOutboxStore()) {
        self.outbox = outbox
    }

    private func check() throws {
        if let error = failure.withLock({ $0 }) ?? outbox.failure.withLock({ $0 }) { throw error }
    }

    func draft(sessionId: String) async throws -> StoredDraft? {
        try check()
        let found = outbox.unlessConsumed(sessionId) { outbox.drafts.withLock { $0[sessionId] } } ?? nil
        if let onRead = onRead.withLock({ $0 }) { await onRead() }
        return found
    }

    func saveDraft(sessionId: String, formId: String, sealed: [UInt8], at: Date) async throws -> Bool {
        try check()
        let saved = outbox.unlessConsumed(sessionId) {
            outbox.drafts.withLock { drafts in
                let createdAt = drafts[sessionId]?.createdAt ?? at
                drafts[sessionId] = StoredDraft(sessionId: sessionId, formId: formId, sealed: sealed, createdAt: createdAt, updatedAt: at)
                return true
            }
        }
        return saved ?? false
    }

    func deleteDraft(sessionId: String) async throws {
        try check()
        outbox.drafts.withLock { _ = $0.removeValue(forKey: sessionId) }
    }

    func purgeDrafts(updatedBefore before: Date) async throws -> Int {
        try check()
        return outbox.drafts.withLock { drafts in
            let count = drafts.count
            drafts = drafts.filter { $0.value.updatedAt >= before }
            return count - drafts.count
        }
    }

    func draftCount() async throws -> Int {
        try check()
        return outbox.drafts.withLock { $0.count }
    }
}
