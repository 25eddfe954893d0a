import Foundation
import NIOCore
import PostgresNIO
import Testing

@testable import App

@Suite(
    "The PostgreSQL draft store, on a real server",
    .enabled(if: PostgresTestServer.isAvailable, "needs TEST_POSTGRES_URL (scripts/test.sh starts one)")
)
struct PostgresDraftStoreTests {
    @Test("meets the draft store contract", arguments: DraftStoreContract.checks)
    func contract(_ check: DraftStoreContract.Check) async throws {
        try await PostgresTestServer.withStores { makeStore in
            try await check.run(
                DraftStoreContract {
                    let outbox = try await makeStore()
                    return .init(
                        drafts: PostgresDraftStore(database: outbox.database),
                        outbox: outbox,
                        sessions: PostgresSessionStateStore(database: outbox.database)
                    )
                }
            )
        }
    }

    @Test("two instances (two pools on one database): an outcome stored by one ends the draft the other saved")
    func twoInstances() async throws {
        try await PostgresSessionStateStoreTests.withTwoInstances { first, second in
            #expect(try await first.drafts.saveDraft(sessionId: "s-1", formId: "incident-report", sealed: [1, 2], at: TestDateClock.start))
            #expect(try await second.drafts.draft(sessionId: "s-1")?.sealed == [1, 2])
            _ = try await second.store.enqueue(newOutcome("s-1"), claimedUntil: TestDateClock.start).storedEntry()
            #expect(try await first.drafts.draftCount() == 0)
            #expect(try await first.drafts.saveDraft(sessionId: "s-1", formId: "incident-report", sealed: [3], at: TestDateClock.start) == false)
        }
    }

    @Test("no answer is in clear in the table's rows; a box written in clear would be")
    func nothingInClearAtRest() async throws {
        try await PostgresTestServer.withStores { makeStore in
            let outbox = try await makeStore()
            let drafts = PostgresDraftStore(database: outbox.database)
            let sealer = Sealer(secrets: SecretKeys(current: Array("drafts-secret-0123456789-0123456789-abcdef".utf8)), purpose: "drafts")
            let marker = "DRAFT-MARKER-\(UUID().uuidString)"
            let clearMarker = "CLEAR-MARKER-\(UUID().uuidString)"
            let draft = Draft(formId: "incident-report", values: ["street": ["\(marker) 1 Main St"]], completedSteps: ["incident"])
            #expect(
                try await drafts.saveDraft(
                    sessionId: "s-1",
                    formId: "incident-report",
                    sealed: sealer.seal(draft, sessionId: "s-1"),
                    at: TestDateClock.start
                )
            )
            // The control: the same checks find a value a store did write in clear.
            #expect(try await drafts.saveDraft(sessionId: "s-2", formId: "incident-report", sealed: Array(clearMarker.utf8), at: TestDateClock.start))
            let stored = try #require(try await drafts.draft(sessionId: "s-1"))
            #expect(sealer.openDraft(stored.sealed, sessionId: "s-1") == draft, "the box opens to what was saved")

            // The raw column's bytes, and each whole row as PostgreSQL prints it (bytea as hex).
            var bytes: [UInt8] = []
            for row in try await outbox.database.rows("SELECT sealed FROM drafts") {
                bytes += try row.decode(ByteBuffer.self).readableBytesView
            }
            var text = ""
            for row in try await outbox.database.rows("SELECT d::text FROM drafts d") {
                text += try row.decode(String.self) + "\n"
            }
            let hex = { (value: String) in value.utf8.map { String(format: "%02x", $0) }.joined() }
            #expect(bytes.firstRange(of: Array(marker.utf8)) == nil, "an answer is in the column in clear")
            #expect(!text.contains(marker) && !text.contains(hex(marker)), "an answer is in a row in clear")
            #expect(bytes.firstRange(of: Array(clearMarker.utf8)) != nil, "the column check cannot see what it looks for")
            #expect(text.contains(hex(clearMarker)), "the row check cannot see what it looks for")
        }
    }

    @Test("a draft left behind its outcome is never handed out, and the outcome's replay deletes it")
    func draftBehindOutcome() async throws {
        try await PostgresTestServer.withStores { makeStore in
            let outbox = try await makeStore()
            let drafts = PostgresDraftStore(database: outbox.database)
            _ = try await outbox.enqueue(newOutcome("s-1"), claimedUntil: TestDateClock.start).storedEntry()
            // What a save racing the outcome can leave behind it.
            try await outbox.database.rows(
                "INSERT INTO drafts (session_id, form_id, sealed, created_at, updated_at) VALUES ('s-1', 'incident-report', '\\x0102', 1, 1)"
            )
            #expect(try await drafts.draftCount() == 1)
            #expect(try await drafts.draft(sessionId: "s-1") == nil)
            #expect(try await outbox.enqueue(newOutcome("s-1"), claimedUntil: TestDateClock.start) == .alreadyConsumed)
            #expect(try await drafts.draftCount() == 0)
        }
    }

    @Test("a row that lacks a column is an unreadable draft, not a crash")
    func missingColumn() async throws {
        try await PostgresTestServer.withStores { makeStore in
            let outbox = try await makeStore()
            #expect(
                try await PostgresDraftStore(database: outbox.database).saveDraft(sessionId: "s-1", formId: "f", sealed: [1], at: TestDateClock.start)
            )
            let rows = try await outbox.database.rows("SELECT session_id, form_id FROM drafts")
            #expect(throws: OutboxStoreError.unreadableDraft(reason: "column sealed is missing or not bytes")) {
                try StoredDraft(row: try #require(rows.first).makeRandomAccess())
            }
        }
    }
}
