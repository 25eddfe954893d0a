import Foundation
import Synchronization

@testable import App

/// Uploaded files in memory, for tests of the flow above the store. It meets the same contract as
/// the real stores (`InMemoryFileStoreTests`).
///
/// The files live in ``outbox`` (its `files`), the two being one database, as the drafts do: pass
/// the `InMemoryOutboxStore` the application under test uses, so that a failing outbox fails these
/// calls too.
final class InMemoryFileStore: FileStore {
    let outbox: InMemoryOutboxStore
    /// When set, every call fails with it (a database that went away); the outbox's `failure`
    /// fails these calls too.
    let failure = Mutex<(any Error)?>(nil)

    /// A second file under an id already stored, as the real stores' primary key refuses it.
    struct DuplicateId: Error {}

    init(outbox: InMemoryOutboxStore = InMemoryOutboxStore()) {
        self.outbox = outbox
    }

    private func check() throws {
        if let error = failure.withLock({ $0 }) ?? outbox.failure.withLock({ $0 }) { throw error }
    }

    /// The time as the real stores keep it: milliseconds.
    private static func stored(_ date: Date) -> Date { StoredTime.date(StoredTime.millis(date)) }

    func saveFile(_ file: StoredFile) async throws {
        try check()
        var stored = file
        stored.createdAt = Self.stored(file.createdAt)
        try outbox.files.withLock { files in
            guard files[file.id] == nil else { throw DuplicateId() }
            files[file.id] = stored
        }
    }

    func file(id: String) async throws -> StoredFile? {
        try check()
        return outbox.files.withLock { $0[id] }
    }

    func files(sessionId: String) async throws -> [StoredFile] {
        try check()
        return outbox.files.withLock { files in
            files.values.filter { $0.sessionId == sessionId }.sorted { first, second in
                first.createdAt != second.createdAt
                    ? first.createdAt < second.createdAt : Array(first.id.utf8).lexicographicallyPrecedes(Array(second.id.utf8))
            }
        }
    }

    func purgeFiles(createdBefore before: Date) async throws -> FileStats {
        try check()
        let cutoff = Self.stored(before)
        return outbox.files.withLock { files in
            let gone = files.values.filter { $0.createdAt < cutoff }
            for file in gone { files.removeValue(forKey: file.id) }
            return FileStats(count: gone.count, bytes: gone.reduce(0) { $0 + $1.size })
        }
    }

    func fileStats() async throws -> FileStats {
        try check()
        return outbox.files.withLock { files in FileStats(count: files.count, bytes: files.values.reduce(0) { $0 + $1.size }) }
    }
}
