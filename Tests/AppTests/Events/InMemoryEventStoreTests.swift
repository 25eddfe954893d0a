import Testing

@testable import App

/// The stand-in the sender's and recorder's tests use keeps the same promises as the real stores.
@Suite("In-memory event store")
struct InMemoryEventStoreTests {
    @Test("meets the event store contract", arguments: EventStoreContract.checks)
    func contract(_ check: EventStoreContract.Check) async throws {
        try await check.run(EventStoreContract { InMemoryEventStore() })
    }
}
