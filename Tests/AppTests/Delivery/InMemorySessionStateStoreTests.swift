import Testing

@testable import App

/// The stand-in the router tests use keeps the same promises as the real stores.
@Suite("In-memory session state store")
struct InMemorySessionStateStoreTests {
    @Test("meets the session state store contract", arguments: SessionStateStoreContract.checks)
    func contract(_ check: SessionStateStoreContract.Check) async throws {
        try await check.run(
            SessionStateStoreContract {
                let outbox = InMemoryOutboxStore()
                return .init(sessions: InMemorySessionStateStore(outbox: outbox), outbox: outbox)
            }
        )
    }

    @Test("fails while its outbox fails: one database")
    func failsWithItsOutbox() async throws {
        let outbox = InMemoryOutboxStore()
        let sessions = InMemorySessionStateStore(outbox: outbox)
        outbox.failure.withLock { $0 = OutboxStoreError.unavailable(reason: "test") }
        await #expect(throws: OutboxStoreError.unavailable(reason: "test")) { try await sessions.state(sessionId: "s-1") }
        outbox.failure.withLock { $0 = nil }
        #expect(try await sessions.state(sessionId: "s-1") == nil)
    }
}
