import Foundation
import Synchronization

@testable import App

/// Form versions in memory: the first save of a version wins, as in the real stores.
final class InMemoryFormVersionStore: FormVersionStore {
    private let versions = Mutex<[String: StoredFormVersion]>([:])
    /// When set, every call fails with it (the database down).
    let failure = Mutex<(any Error)?>(nil)

    var count: Int { versions.withLock { $0.count } }

    func save(_ new: [StoredFormVersion]) async throws {
        if let failure = failure.withLock({ $0 }) { throw failure }
        versions.withLock { versions in
            for version in new where versions[Self.key(version.formId, version.version)] == nil {
                versions[Self.key(version.formId, version.version)] = version
            }
        }
    }

    func version(formId: String, version: String) async throws -> StoredFormVersion? {
        if let failure = failure.withLock({ $0 }) { throw failure }
        return versions.withLock { $0[Self.key(formId, version)] }
    }

    private static func key(_ formId: String, _ version: String) -> String { formId + "\u{1F}" + version }
}
