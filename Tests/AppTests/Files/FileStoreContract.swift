import AlvariaModels
import Foundation
import Testing

@testable import App

/// What every ``FileStore`` must do, whatever database is behind it, with the outbox on the same
/// database (storing an outcome leaves the session's files).
///
/// Like `DraftStoreContract`: a store's suite runs every check as one parameterised test with a
/// factory of fresh, empty stores (see `SQLiteFileStoreTests.contract`).
struct FileStoreContract: Sendable {
    /// A file store and the outbox on its database.
    struct Stores: Sendable {
        let files: any FileStore
        let outbox: any OutboxStore
    }

    /// Makes fresh, empty stores each time it is called.
    let makeStores: @Sendable () async throws -> Stores

    /// One named check, for `@Test(arguments: FileStoreContract.checks)`.
    struct Check: Sendable, CustomTestStringConvertible {
        let name: String
        let run: @Sendable (FileStoreContract) async throws -> Void
        var testDescription: String { name }
    }

    static let checks: [Check] = [
        Check(name: "has no file under an id it has not stored, nor any for a session without", run: { try await $0.nothingBefore() }),
        Check(name: "saves a file and reads it back, metadata, box and time as saved", run: { try await $0.savesAndReadsBack() }),
        Check(name: "keeps any bytes exactly: every byte value, an empty box, a big one", run: { try await $0.keepsBytesExactly() }),
        Check(name: "refuses a second file under an id already stored, keeping the first", run: { try await $0.refusesDuplicateId() }),
        Check(name: "lists a session's files oldest first, ties in the ids' byte order, no one else's", run: { try await $0.listsBySession() }),
        Check(name: "purges files created before a time, counting them and their bytes", run: { try await $0.purges() }),
        Check(name: "counts files and their bytes", run: { try await $0.counts() }),
        Check(name: "storing the session's outcome leaves its files", run: { try await $0.outcomeKeepsFiles() }),
    ]

    private var t0: Date { TestDateClock.start }
    private func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    /// A box as the vault would store: opaque bytes (the stores never open them).
    static func box(_ text: String) -> [UInt8] { Array("sealed:\(text)".utf8) }

    /// A file's row with everything but its id, session and time made up.
    static func file(_ id: String, session: String = "s-1", size: Int = 100, at: Date, box: [UInt8]? = nil) -> StoredFile {
        StoredFile(
            id: id,
            sessionId: session,
            formId: "damage-photo",
            field: "damagePhoto",
            mediaType: "image/jpeg",
            size: size,
            sealed: box ?? Self.box(id),
            createdAt: at
        )
    }

    func nothingBefore() async throws {
        let files = try await makeStores().files
        #expect(try await files.file(id: "f-1") == nil)
        #expect(try await files.files(sessionId: "s-1") == [])
        try await files.saveFile(Self.file("f-2", session: "s-2", at: at(1)))
        #expect(try await files.file(id: "f-1") == nil, "another file is not this one")
        #expect(try await files.files(sessionId: "s-1") == [], "another session's file is not this one's")
    }

    func savesAndReadsBack() async throws {
        let files = try await makeStores().files
        // A quarter second: the stores keep milliseconds.
        let file = StoredFile(
            id: "Ab3-_x9ZqK0vLm2nOp4rSt",
            sessionId: "sim-Ke:01.x_y",
            formId: "damage-photo",
            field: "receipt",
            mediaType: "application/pdf",
            size: 1_234_567,
            sealed: Self.box("one"),
            createdAt: at(10.25)
        )
        try await files.saveFile(file)
        #expect(try await files.file(id: file.id) == file)
        #expect(try await files.files(sessionId: file.sessionId) == [file])
    }

    func keepsBytesExactly() async throws {
        let files = try await makeStores().files
        let every = (0...255).map(UInt8.init) + [0, 0, 0xFF]
        try await files.saveFile(Self.file("every", at: at(1), box: every))
        #expect(try await files.file(id: "every")?.sealed == every)
        try await files.saveFile(Self.file("empty", at: at(1), box: []))
        #expect(try await files.file(id: "empty")?.sealed == [])
        var generator = SystemRandomNumberGenerator()
        let big = (0..<(3 << 20)).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        try await files.saveFile(Self.file("big", size: big.count, at: at(1), box: big))
        #expect(try await files.file(id: "big")?.sealed == big)
        #expect(try await files.fileStats() == FileStats(count: 3, bytes: 200 + big.count))
    }

    func refusesDuplicateId() async throws {
        let files = try await makeStores().files
        try await files.saveFile(Self.file("f-1", at: at(1), box: Self.box("first")))
        await #expect(throws: (any Error).self) {
            try await files.saveFile(Self.file("f-1", session: "s-2", at: at(2), box: Self.box("second")))
        }
        #expect(try await files.file(id: "f-1")?.sealed == Self.box("first"))
        #expect(try await files.files(sessionId: "s-2") == [])
        #expect(try await files.fileStats().count == 1)
    }

    func listsBySession() async throws {
        let stores = try await makeStores()
        let files = stores.files
        // Saved out of order; three in one millisecond, with ids a locale's collation would sort otherwise.
        try await files.saveFile(Self.file("late", at: at(30)))
        try await files.saveFile(Self.file("a", at: at(20)))
        try await files.saveFile(Self.file("_", at: at(20)))
        try await files.saveFile(Self.file("B", at: at(20)))
        try await files.saveFile(Self.file("-", at: at(20)))
        try await files.saveFile(Self.file("early", at: at(10)))
        try await files.saveFile(Self.file("other", session: "s-2", at: at(15)))
        try await files.saveFile(Self.file("prefix", session: "s-10", at: at(15)))
        #expect(try await files.files(sessionId: "s-1").map(\.id) == ["early", "-", "B", "_", "a", "late"])
        #expect(try await files.files(sessionId: "s-2").map(\.id) == ["other"])
        #expect(try await files.files(sessionId: "s-10").map(\.id) == ["prefix"])
        #expect(try await files.files(sessionId: "s") == [])
    }

    func purges() async throws {
        let files = try await makeStores().files
        try await files.saveFile(Self.file("old", size: 1_000, at: at(10)))
        try await files.saveFile(Self.file("older", session: "s-2", size: 2_500, at: at(5)))
        try await files.saveFile(Self.file("edge", size: 7, at: at(30)))
        try await files.saveFile(Self.file("new", size: 40, at: at(40)))

        #expect(try await files.purgeFiles(createdBefore: at(30)) == FileStats(count: 2, bytes: 3_500))
        #expect(try await files.file(id: "old") == nil)
        #expect(try await files.file(id: "older") == nil)
        #expect(try await files.files(sessionId: "s-1").map(\.id) == ["edge", "new"], "created at the cut-off: kept")
        #expect(try await files.purgeFiles(createdBefore: at(30)) == FileStats(count: 0, bytes: 0))
        #expect(try await files.purgeFiles(createdBefore: at(41)) == FileStats(count: 2, bytes: 47))
        #expect(try await files.fileStats() == FileStats(count: 0, bytes: 0))
    }

    func counts() async throws {
        let files = try await makeStores().files
        #expect(try await files.fileStats() == FileStats(count: 0, bytes: 0))
        try await files.saveFile(Self.file("f-1", size: 10 << 20, at: at(1)))
        try await files.saveFile(Self.file("f-2", session: "s-2", size: 512, at: at(2)))
        try await files.saveFile(Self.file("f-3", session: "s-2", size: 0, at: at(3)))
        #expect(try await files.fileStats() == FileStats(count: 3, bytes: (10 << 20) + 512))
    }

    func outcomeKeepsFiles() async throws {
        let stores = try await makeStores()
        try await stores.files.saveFile(Self.file("f-1", at: at(1)))
        try await stores.files.saveFile(Self.file("f-2", at: at(2)))
        let entry = try await stores.outbox.enqueue(newOutcome("s-1", createdAt: at(3)), claimedUntil: at(60)).storedEntry()
        #expect(entry.sessionId == "s-1")
        #expect(try await stores.files.files(sessionId: "s-1").map(\.id) == ["f-1", "f-2"])
        #expect(try await stores.files.file(id: "f-1")?.sealed == Self.box("f-1"))
        #expect(try await stores.files.fileStats().count == 2)
        #expect(try await stores.outbox.enqueue(newOutcome("s-1", createdAt: at(4)), claimedUntil: at(60)) == .alreadyConsumed)
        #expect(try await stores.files.fileStats().count == 2, "nor does a replay of it")
    }
}
