import Testing

@testable import App

/// The stand-in the router tests use keeps the same promises as the real stores.
@Suite("In-memory outbox store")
struct InMemoryOutboxStoreTests {
    @Test("meets the outbox store contract", arguments: OutboxStoreContract.checks)
    func contract(_ check: OutboxStoreContract.Check) async throws {
        try await check.run(OutboxStoreContract { InMemoryOutboxStore() })
    }
}
