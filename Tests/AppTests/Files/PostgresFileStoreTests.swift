import Foundation
import NIOCore
import PostgresNIO
import Testing

@testable import App

@Suite(
    "The PostgreSQL file store, on a real server",
    .enabled(if: PostgresTestServer.isAvailable, "needs TEST_POSTGRES_URL (scripts/test.sh starts one)")
)
struct PostgresFileStoreTests {
    @Test("meets the file store contract", arguments: FileStoreContract.checks)
    func contract(_ check: FileStoreContract.Check) async throws {
        try await PostgresTestServer.withStores { makeStore in
            try await check.run(
                FileStoreContract {
                    let outbox = try await makeStore()
                    return .init(files: PostgresFileStore(database: outbox.database), outbox: outbox)
                }
            )
        }
    }

    @Test("a row that lacks a column is an unreadable file, not a crash")
    func missingColumn() async throws {
        try await PostgresTestServer.withStores { makeStore in
            let outbox = try await makeStore()
            try await PostgresFileStore(database: outbox.database).saveFile(FileStoreContract.file("f-1", at: TestDateClock.start))
            let rows = try await outbox.database.rows("SELECT id, session_id, form_id, field, media_type, size, created_at FROM files")
            #expect(throws: OutboxStoreError.unreadableFile(reason: "column sealed is missing or not bytes")) {
                try StoredFile(row: try #require(rows.first).makeRandomAccess())
            }
        }
    }
}
