import Foundation
import Testing

@testable import App

@Suite("The file vault: sealed files, opened for their session")
struct FileVaultTests {
    static let current = Array("files-secret-0123456789-0123456789-abcdefg".utf8)
    static let old = Array("old-files-secret-0123456789-0123456789-abcd".utf8)
    static let unknown = Array("unknown-secret-0123456789-0123456789-abcdef".utf8)
    static let secrets = SecretKeys(current: current)

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// Puts `bytes` for session `s-1` (or `sessionId`) through `vault`.
    private func put(
        _ bytes: [UInt8],
        _ vault: FileVault,
        sessionId: String = "s-1",
        mediaType: String = "image/jpeg"
    ) async throws -> StoredFile {
        try await vault.put(bytes, mediaType: mediaType, sessionId: sessionId, formId: "damage-photo", field: "damagePhoto", at: TestDateClock.start)
    }

    /// The clear bytes `vault` opens `id` to; nil (and an issue) when it does not find and open it.
    private func opened(_ vault: FileVault, _ id: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [UInt8]? {
        switch try await vault.open(id: id) {
        case .found(let file, let bytes):
            #expect(file.id == id, sourceLocation: sourceLocation)
            return bytes
        case .missing:
            Issue.record("missing", sourceLocation: sourceLocation)
        case .unreadable:
            Issue.record("unreadable", sourceLocation: sourceLocation)
        }
        return nil
    }

    private func isUnreadable(_ vault: FileVault, _ id: String) async throws -> Bool {
        if case .unreadable = try await vault.open(id: id) { return true }
        return false
    }

    @Test("a file put in opens to the same bytes, with the metadata as given; the store holds only the box")
    func roundTrip() async throws {
        let store = InMemoryFileStore()
        let vault = FileVault(store: store, secrets: Self.secrets)
        let content = Array("%PDF-1.7 receipt total 42.00 EUR".utf8) + Self.randomBytes(10_000)
        let at = TestDateClock.start.addingTimeInterval(0.1234)
        let stored = try await vault.put(content, mediaType: "application/pdf", sessionId: "s-1", formId: "claim-report", field: "receipt", at: at)
        #expect(stored.sessionId == "s-1")
        #expect(stored.formId == "claim-report")
        #expect(stored.field == "receipt")
        #expect(stored.mediaType == "application/pdf")
        #expect(stored.size == content.count, "the clear size, not the box's")
        #expect(StoredTime.millis(stored.createdAt) == 1_800_000_000_123, "the time as the store keeps it")
        #expect(try await store.file(id: stored.id) == stored, "what put returns is what the store holds")
        #expect(stored.sealed.count == 1 + 12 + content.count + 16)
        #expect(stored.sealed.firstRange(of: Array("receipt total".utf8)) == nil, "the box never shows the content")
        #expect(try await opened(vault, stored.id) == content)

        let empty = try await put([], vault)
        #expect(empty.size == 0)
        #expect(try await opened(vault, empty.id) == [], "an empty file too")
    }

    @Test("a file that is not there, never stored or erased, is missing")
    func missing() async throws {
        let store = InMemoryFileStore()
        let vault = FileVault(store: store, secrets: Self.secrets)
        guard case .missing = try await vault.open(id: "AAAAAAAAAAAAAAAAAAAAAA") else {
            Issue.record("an unknown id is not missing")
            return
        }
        let stored = try await put([1, 2, 3], vault)
        _ = try await store.purgeFiles(createdBefore: TestDateClock.start.addingTimeInterval(1))
        guard case .missing = try await vault.open(id: stored.id) else {
            Issue.record("an erased file is not missing")
            return
        }
    }

    @Test("another session's box copied into a row does not open: unreadable")
    func anotherSessionsBox() async throws {
        let store = InMemoryFileStore()
        let vault = FileVault(store: store, secrets: Self.secrets)
        let mine = try await put(Array("mine".utf8), vault, sessionId: "s-1")
        let theirs = try await put(Array("their photo".utf8) + Self.randomBytes(100), vault, sessionId: "s-2")
        store.outbox.files.withLock { files in
            files[mine.id]?.sealed = theirs.sealed
            files[mine.id]?.size = theirs.size
        }
        #expect(try await isUnreadable(vault, mine.id))
        #expect(try await opened(vault, theirs.id)?.count == theirs.size, "the original still opens")
        // A whole row copied under another id does not open either: the box is bound to its file.
        store.outbox.files.withLock { files in
            files[mine.id] = theirs
            files[mine.id]?.id = mine.id
        }
        #expect(try await isUnreadable(vault, mine.id), "another file's whole row under this id")
        // Nor the file's own row moved to another session.
        store.outbox.files.withLock { files in files[theirs.id]?.sessionId = "s-1" }
        #expect(try await isUnreadable(vault, theirs.id), "its session changed, it does not")
    }

    @Test("within one session, a box moved to another file's row, or a row given another type, does not open")
    func boundToItsFileAndType() async throws {
        let store = InMemoryFileStore()
        let vault = FileVault(store: store, secrets: Self.secrets)
        let photo = try await put(Array("a photo".utf8), vault, sessionId: "s-1")
        let other = try await put(Array("a second".utf8), vault, sessionId: "s-1")
        store.outbox.files.withLock { files in
            files[photo.id]?.sealed = other.sealed
            files[photo.id]?.size = other.size
        }
        #expect(try await isUnreadable(vault, photo.id), "another file's box in this row")
        store.outbox.files.withLock { files in files[other.id]?.mediaType = "application/pdf" }
        #expect(try await isUnreadable(vault, other.id), "served under a type it was not sealed with")
    }

    @Test("a damaged box, or a size that is not the box's, is unreadable")
    func damaged() async throws {
        let store = InMemoryFileStore()
        let vault = FileVault(store: store, secrets: Self.secrets)
        let stored = try await put(Self.randomBytes(64), vault)
        store.outbox.files.withLock { files in files[stored.id]?.sealed[20] ^= 1 }
        #expect(try await isUnreadable(vault, stored.id))
        store.outbox.files.withLock { files in files[stored.id] = stored }
        #expect(try await opened(vault, stored.id)?.count == 64)
        store.outbox.files.withLock { files in files[stored.id]?.size = 65 }
        #expect(try await isUnreadable(vault, stored.id))
        store.outbox.files.withLock { files in files[stored.id]?.sealed = [] }
        #expect(try await isUnreadable(vault, stored.id))
    }

    @Test("after a rotation, a file sealed under the previous secret still opens; once that secret is retired it is unreadable")
    func rotation() async throws {
        let store = InMemoryFileStore()
        let before = FileVault(store: store, secrets: SecretKeys(current: Self.old))
        let content = Self.randomBytes(1_000)
        let oldFile = try await put(content, before)
        let rotated = FileVault(store: store, secrets: SecretKeys(current: Self.current, previous: [Self.unknown, Self.old]))
        #expect(try await opened(rotated, oldFile.id) == content)
        let newFile = try await put(content, rotated)
        #expect(try await isUnreadable(before, newFile.id), "new files use the new secret")
        let retired = FileVault(store: store, secrets: Self.secrets)
        #expect(try await isUnreadable(retired, oldFile.id))
        #expect(try await opened(retired, newFile.id) == content)
    }

    @Test("a draft's box under the same secret and session is no file: the purposes' keys differ")
    func purposes() async throws {
        let store = InMemoryFileStore()
        let vault = FileVault(store: store, secrets: Self.secrets)
        let drafts = Sealer(secrets: Self.secrets, purpose: "drafts")
        let content = Array("same secret, same session".utf8)
        try await store.saveFile(
            StoredFile(
                id: "from-a-draft",
                sessionId: "s-1",
                formId: "f",
                field: "x",
                mediaType: "image/png",
                size: content.count,
                sealed: drafts.seal(content, sessionId: "s-1"),
                createdAt: TestDateClock.start
            )
        )
        #expect(try await isUnreadable(vault, "from-a-draft"))
    }

    @Test("ids are 22 URL-safe characters, 16 random bytes, unique, and never the upload's name")
    func ids() async throws {
        let vault = FileVault(store: InMemoryFileStore(), secrets: Self.secrets)
        var ids: Set<String> = []
        for _ in 0..<200 {
            let id = try await put([7], vault).id
            #expect(id.count == 22)
            #expect(id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }, "\(id)")
            #expect(Base64URL.decode(Substring(id))?.count == 16)
            #expect(PercentEncoding.encode(id) == id, "nothing to encode in a URL")
            ids.insert(id)
        }
        #expect(ids.count == 200)
        for _ in 0..<2_000 { ids.insert(FileVault.newId()) }
        #expect(ids.count == 2_200)
    }
}
