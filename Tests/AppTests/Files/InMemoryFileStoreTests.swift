import Testing

@testable import App

/// The stand-in the router tests use keeps the same promises as the real stores.
@Suite("In-memory file store")
struct InMemoryFileStoreTests {
    @Test("meets the file store contract", arguments: FileStoreContract.checks)
    func contract(_ check: FileStoreContract.Check) async throws {
        try await check.run(
            FileStoreContract {
                let outbox = InMemoryOutboxStore()
                return .init(files: InMemoryFileStore(outbox: outbox), outbox: outbox)
            }
        )
    }

    @Test("fails while its outbox fails: one database")
    func failsWithItsOutbox() async throws {
        let outbox = InMemoryOutboxStore()
        let files = InMemoryFileStore(outbox: outbox)
        outbox.failure.withLock { $0 = OutboxStoreError.unavailable(reason: "test") }
        await #expect(throws: OutboxStoreError.unavailable(reason: "test")) { try await files.fileStats() }
        outbox.failure.withLock { $0 = nil }
        #expect(try await files.fileStats() == FileStats(count: 0, bytes: 0))
    }
}
