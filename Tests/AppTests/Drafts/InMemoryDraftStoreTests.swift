import Testing

@testable import App

/// The stand-in the router tests use keeps the same promises as the real stores.
@Suite("In-memory draft store")
struct InMemoryDraftStoreTests {
    @Test("meets the draft store contract", arguments: DraftStoreContract.checks)
    func contract(_ check: DraftStoreContract.Check) async throws {
        try await check.run(
            DraftStoreContract {
                let outbox = InMemoryOutboxStore()
                return .init(drafts: InMemoryDraftStore(outbox: outbox), outbox: outbox, sessions: InMemorySessionStateStore(outbox: outbox))
            }
        )
    }

    @Test("fails while its outbox fails: one database")
    func failsWithItsOutbox() async throws {
        let outbox = InMemoryOutboxStore()
        let drafts = InMemoryDraftStore(outbox: outbox)
        outbox.failure.withLock { $0 = OutboxStoreError.unavailable(reason: "test") }
        await #expect(throws: OutboxStoreError.unavailable(reason: "test")) { try await drafts.draftCount() }
        outbox.failure.withLock { $0 = nil }
        #expect(try await drafts.draftCount() == 0)
    }
}
