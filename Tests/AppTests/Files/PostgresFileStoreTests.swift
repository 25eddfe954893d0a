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

    @Test("two instances (two pools on one database) open each other's files; one's retention erases the other's")
    func twoInstances() async throws {
        try await PostgresSessionStateStoreTests.withTwoInstances { first, second in
            let secrets = FileVaultTests.secrets
            let content = FileVaultTests.randomBytes(200_000)
            let stored = try await FileVault(store: first.files, secrets: secrets).put(
                content,
                mediaType: "image/png",
                sessionId: "s-1",
                formId: "damage-photo",
                field: "damagePhoto",
                at: TestDateClock.start
            )
            guard case .found(let file, let bytes) = try await FileVault(store: second.files, secrets: secrets).open(id: stored.id) else {
                Issue.record("the other instance cannot open the file")
                return
            }
            #expect(file == stored)
            #expect(bytes == content)
            #expect(
                try await second.files.purgeFiles(createdBefore: TestDateClock.start.addingTimeInterval(1)) == FileStats(count: 1, bytes: 200_000)
            )
            #expect(try await first.files.file(id: stored.id) == nil)
        }
    }

    @Test("no file content is in clear in the table's rows; a box written in clear would be")
    func nothingInClearAtRest() async throws {
        try await PostgresTestServer.withStores { makeStore in
            let outbox = try await makeStore()
            let files = PostgresFileStore(database: outbox.database)
            let vault = FileVault(store: files, secrets: FileVaultTests.secrets)
            let marker = Array("FILE-MARKER-\(UUID().uuidString)".utf8)
            let clearMarker = Array("CLEAR-MARKER-\(UUID().uuidString)".utf8)
            let content = marker + FileVaultTests.randomBytes(100_000) + marker
            let stored = try await vault.put(
                content,
                mediaType: "application/pdf",
                sessionId: "s-1",
                formId: "damage-photo",
                field: "receipt",
                at: TestDateClock.start
            )
            // The control: the same checks find content a store did write in clear.
            try await files.saveFile(FileStoreContract.file("clear", session: "s-2", at: TestDateClock.start, box: clearMarker))
            guard case .found(_, let bytes) = try await vault.open(id: stored.id) else {
                Issue.record("the stored file does not open")
                return
            }
            #expect(bytes == content, "the box opens to what was put")

            // The raw column's bytes, and each whole row as PostgreSQL prints it (bytea as hex).
            var column: [UInt8] = []
            for row in try await outbox.database.rows("SELECT sealed FROM files") {
                column += try row.decode(ByteBuffer.self).readableBytesView
            }
            var text = ""
            for row in try await outbox.database.rows("SELECT f::text FROM files f") {
                text += try row.decode(String.self) + "\n"
            }
            let hex = { (value: [UInt8]) in value.map { String(format: "%02x", $0) }.joined() }
            #expect(column.firstRange(of: marker) == nil, "a file's content is in the column in clear")
            #expect(!text.contains(String(decoding: marker, as: UTF8.self)) && !text.contains(hex(marker)), "a file's content is in a row in clear")
            #expect(column.firstRange(of: clearMarker) != nil, "the column check cannot see what it looks for")
            #expect(text.contains(hex(clearMarker)), "the row check cannot see what it looks for")
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
