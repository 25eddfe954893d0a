import AlvariaModels
import Foundation
import Testing

@testable import App

/// What the operator commands do and print, on a real SQLite file; the process-level tests of the
/// binary are in OutboxCommandTests.
@Suite("The outbox report and operator operations")
struct OutboxReportTests {
    private let now = TestDateClock.start

    /// A fresh SQLite outbox filled with one entry per situation.
    private func withFilledOutbox(_ body: (SQLiteOutboxStore, FilledOutbox) async throws -> Void) async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteOutboxStore.open(path: folder.appendingPathComponent("app.sqlite").path)
            try await body(store, try await FilledOutbox.fill(store, now: now))
            try store.close()
        }
    }

    @Test("lists entries newest first as an aligned table with the counts per state, and never a value")
    func listsEntries() async throws {
        try await withFilledOutbox { (store, filled) async throws in
            let drafts = SQLiteDraftStore(database: store.database)
            for sessionId in ["draft-session-0001", "draft-session-0002"] {
                let box = Array("\(FilledOutbox.privateValue) sealed".utf8)
                #expect(try await drafts.saveDraft(sessionId: sessionId, formId: "incident-report", sealed: box, at: now))
            }
            let files = SQLiteFileStore(database: store.database)
            let vault = FileVault(store: files, secrets: FileVaultTests.secrets)
            for (index, size) in [3 << 20, 1 << 19].enumerated() {
                _ = try await vault.put(
                    Array(FilledOutbox.privateValue.utf8) + [UInt8](repeating: 0, count: size - FilledOutbox.privateValue.utf8.count),
                    mediaType: "image/jpeg",
                    sessionId: "file-session-000\(index)",
                    formId: "damage-photo",
                    field: "damagePhoto",
                    at: now
                )
            }
            let text = try await OutboxOperations.list(store, drafts: drafts, files: files, state: nil, limit: 50)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let header = try #require(lines.first)
            #expect(header.hasPrefix("ID  STATE      KIND       FORM            SESSION  ATTEMPTS  CREATED               DELIVERED"))
            #expect(header.hasSuffix("DELIVERED / NEXT ATTEMPT  LAST ERROR"))
            #expect(
                Array(lines[1...4].map { $0.split(separator: " ").first.map(String.init) }) == [
                    "\(filled.queued.id)", "\(filled.failed.id)", "\(filled.recentDelivered.id)", "\(filled.oldDelivered.id)",
                ]
            )

            // Every column starts where its title does.
            for title in ["STATE", "KIND", "FORM", "SESSION", "CREATED", "DELIVERED / NEXT ATTEMPT", "LAST ERROR"] {
                let offset = try #require(header.range(of: title)).lowerBound.utf16Offset(in: header)
                for row in lines[1...4] {
                    let characters = Array(row)
                    #expect(characters[offset] != " " && characters[offset - 1] == " ", "\(title) in \(row)")
                }
            }
            let queuedRow = lines[1]
            #expect(
                queuedRow.hasPrefix(
                    "\(filled.queued.id)   queued     submitted  address-update  queued…         2  2027-01-15T07:50:00Z  2027-01-15T08:05:00Z  "
                )
            )
            #expect(queuedRow.hasSuffix(FilledOutbox.retryReason))
            #expect(lines[2].contains("failed     submitted  address-update  failed…         1  2027-01-15T07:00:00Z  -"))
            #expect(lines[2].hasSuffix(FilledOutbox.failedReason))
            #expect(lines[3].contains("delivered  declined   address-update  recent…         1  2027-01-13T08:00:00Z  2027-01-14T08:00:00Z      -"))
            #expect(lines[5] == "")
            #expect(lines[6] == "1 queued, 1 failed, 2 delivered")
            #expect(lines[7] == "2 drafts in progress, 2 files (3.5 MB)")
            #expect(lines.count == 8)
            #expect(!text.contains("draft-session"), "a draft's session is not listed")
            #expect(!text.contains("file-session") && !text.contains("damage"), "nor a file's session, form or field")

            #expect(!text.contains(FilledOutbox.privateValue))
            for session in [FilledOutbox.sessions.queued, FilledOutbox.sessions.failed, FilledOutbox.sessions.oldDelivered] {
                #expect(!text.contains(session), "sessionIds are shortened")
            }
        }
    }

    @Test("says so when there is nothing to list")
    func emptyListing() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteOutboxStore.open(path: folder.appendingPathComponent("app.sqlite").path)
            let drafts = SQLiteDraftStore(database: store.database)
            let files = SQLiteFileStore(database: store.database)
            #expect(
                try await OutboxOperations.list(store, drafts: drafts, files: files, state: nil, limit: 50)
                    == "no outbox entries\n\n0 queued, 0 failed, 0 delivered\n0 drafts in progress, 0 files (0 bytes)"
            )
            #expect(
                try await OutboxOperations.list(store, drafts: drafts, files: files, state: .failed, limit: 50)
                    == "no failed outbox entries\n\n0 queued, 0 failed, 0 delivered\n0 drafts in progress, 0 files (0 bytes)"
            )
            #expect(try await drafts.saveDraft(sessionId: "s-1", formId: "incident-report", sealed: [1], at: now))
            try await files.saveFile(FileStoreContract.file("f-1", size: 812, at: now))
            #expect(
                try await OutboxOperations.list(store, drafts: drafts, files: files, state: nil, limit: 50)
                    .hasSuffix("\n1 draft in progress, 1 file (812 bytes)")
            )
            try store.close()
        }
    }

    @Test("filters by state and says when --limit cuts the listing short")
    func filtersAndLimits() async throws {
        try await withFilledOutbox { (store, filled) async throws in
            let drafts = SQLiteDraftStore(database: store.database)
            let files = SQLiteFileStore(database: store.database)
            let delivered = try await OutboxOperations.list(store, drafts: drafts, files: files, state: .delivered, limit: 1)
            let lines = delivered.split(separator: "\n").map(String.init)
            #expect(lines.count == 4)
            #expect(lines[1].split(separator: " ").prefix(2) == ["\(filled.recentDelivered.id)", "delivered"])
            #expect(lines[2] == "1 queued, 1 failed, 2 delivered; showing the 1 newest delivered (--limit for more)")

            #expect(lines[3] == "0 drafts in progress, 0 files (0 bytes)")
            let all = try await OutboxOperations.list(store, drafts: drafts, files: files, state: nil, limit: 2)
            #expect(
                all.hasSuffix("1 queued, 1 failed, 2 delivered; showing the 2 newest (--limit for more)\n0 drafts in progress, 0 files (0 bytes)")
            )
            let failed = try await OutboxOperations.list(store, drafts: drafts, files: files, state: .failed, limit: 50)
            #expect(failed.split(separator: "\n").count == 4)
            #expect(!failed.contains("showing"), "nothing is cut")
        }
    }

    @Test("lists a verification lock's outcome with its kind")
    func listsLockedKind() throws {
        let entry = OutboxEntry(
            id: 3,
            sessionId: "abcdefghijklmnop",
            formId: "address-update",
            kind: .locked,
            variables: [],
            state: .queued,
            attempts: 0,
            createdAt: now,
            nextAttemptAt: now,
            claimedUntil: nil,
            deliveredAt: nil,
            lastError: nil
        )
        let text = OutboxReport.table([entry], counts: [.queued: 1, .failed: 0, .delivered: 0], state: nil)
        let lines = text.split(separator: "\n").map(String.init)
        let kindAt = try #require(lines[0].range(of: "KIND")).lowerBound.utf16Offset(in: lines[0])
        #expect(lines[1].dropFirst(kindAt).hasPrefix("locked  "))
    }

    @Test("shortens sessions like the logs and keeps a long, multi-line error on one cut line")
    func shortensAndCuts() throws {
        let longError = "400 bad request: " + String(repeating: "x", count: 80) + "\nsecond line"
        let entry = OutboxEntry(
            id: 7,
            sessionId: "abcdefghijklmnop",
            formId: "survey",
            kind: .submitted,
            variables: nil,
            state: .failed,
            attempts: 1,
            createdAt: now,
            nextAttemptAt: nil,
            claimedUntil: nil,
            deliveredAt: nil,
            lastError: longError
        )
        let text = OutboxReport.table([entry], counts: [.queued: 0, .failed: 1, .delivered: 0], state: nil)
        let row = text.split(separator: "\n").map(String.init)[1]
        #expect(row.contains("  abcdef…  "))
        #expect(!text.contains("second line"))
        let lastError = try #require(row.split(separator: "  ").last).trimmingCharacters(in: .whitespaces)
        #expect(lastError.count == OutboxReport.lastErrorWidth)
        #expect(lastError.hasSuffix("…"))

        #expect(OutboxReport.shortened(session: "short") == "short")
        #expect(OutboxReport.shortened(session: "bad\nsession-value") == "bad se…", "an invalid stored id gets the same rule, printable")
    }

    @Test("retry puts a failed entry back in the queue, due at once")
    func retriesFailed() async throws {
        try await withFilledOutbox { (store, filled) async throws in
            let later = now.addingTimeInterval(60)
            #expect(
                try await OutboxOperations.retry(store, id: filled.failed.id, now: later) == "outbox entry \(filled.failed.id) queued for delivery"
            )
            let requeued = try #require(try await store.entry(id: filled.failed.id))
            #expect(requeued.state == .queued)
            #expect(requeued.nextAttemptAt == later)
            #expect(requeued.claimedUntil == nil)
            let due = try await store.claimDue(now: later, limit: 10, claimUntil: later.addingTimeInterval(60))
            #expect(due.map(\.id) == [filled.failed.id], "the deliverer picks it up at its next poll")
        }
    }

    @Test("retry refuses an unknown entry and a delivered one, saying why")
    func retryRefusals() async throws {
        try await withFilledOutbox { (store, filled) async throws in
            await #expect(throws: OutboxOperationError.noSuchEntry(id: 999)) {
                try await OutboxOperations.retry(store, id: 999, now: now)
            }
            let error = await #expect(throws: OutboxOperationError.self) {
                try await OutboxOperations.retry(store, id: filled.recentDelivered.id, now: now)
            }
            #expect(
                error?.description == "outbox entry \(filled.recentDelivered.id) was delivered at 2027-01-14T08:00:00Z; there is nothing to retry"
            )
            #expect(try await store.entry(id: filled.recentDelivered.id) == filled.recentDelivered, "left as it was")
        }
    }

    @Test("purge deletes only the outcomes delivered before the cut-off")
    func purgesOldDelivered() async throws {
        try await withFilledOutbox { (store, filled) async throws in
            let text = try await OutboxOperations.purge(store, deliveredBefore: .seconds(7 * 86_400), now: now)
            #expect(text == "purged 1 delivered outcome delivered before 2027-01-08T08:00:00Z")
            #expect(try await store.entry(id: filled.oldDelivered.id) == nil)
            for kept in [filled.recentDelivered, filled.failed, filled.queued] {
                #expect(try await store.entry(id: kept.id) == kept)
            }
            #expect(try await OutboxOperations.purge(store, deliveredBefore: .seconds(3600), now: now).hasPrefix("purged 1 delivered outcome "))
            #expect(try await OutboxOperations.purge(store, deliveredBefore: .zero, now: now).hasPrefix("purged 0 delivered outcomes "))
            #expect(try await store.counts() == [.queued: 1, .failed: 1, .delivered: 0])
        }
    }

    @Test(
        "reads a purge age only with its unit",
        arguments: [
            ("7d", Duration.seconds(7 * 86_400)), ("12h", .seconds(12 * 3600)), ("30m", .seconds(1800)), ("90s", .seconds(90)),
            (" 1.5D ", .seconds(129_600)),
        ]
    )
    func readsAges(text: String, expected: Duration) {
        #expect(OutboxOperations.age(text) == expected)
    }

    @Test("refuses a purge age without a unit, with an unknown unit, negative or too large", arguments: ["7", "7x", "-1d", "d", "", "1e300d"])
    func refusesAges(text: String) {
        #expect(OutboxOperations.age(text) == nil)
    }

    @Test("reads durations with the configuration's syntax")
    func parsesDurations() {
        #expect(Duration(parsing: "500ms") == .milliseconds(500))
        #expect(Duration(parsing: "2 H") == .seconds(7200))
        #expect(Duration(parsing: "1.5") == .milliseconds(1500), "a bare number is seconds")
        #expect(Duration(parsing: "inf") == nil)
        #expect(Duration(parsing: "nan") == nil)
        #expect(Duration(parsing: "1e300d") == nil, "refused, not a crash")
    }
}
