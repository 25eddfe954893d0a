public import Foundation

/// One version of a form as the database keeps it: the text of its file, which
/// ``FormVersion`` hashed into `version`.
public struct StoredFormVersion: Sendable, Equatable {
    public var formId: String
    public var version: String
    /// The file it was read from, for messages.
    public var file: String
    public var source: String
    public var firstServedAt: Date

    public init(formId: String, version: String, file: String, source: String, firstServedAt: Date) {
        self.formId = formId
        self.version = version
        self.file = file
        self.source = source
        self.firstServedAt = firstServedAt
    }
}

/// The versions of forms served from this database, in the outbox's database, so that every
/// instance and every restart can read back a version a page or draft names.
///
/// Store-neutral like ``OutboxStore``: SQLite and PostgreSQL implement it, and both run
/// `FormVersionStoreContract`'s suite.
public protocol FormVersionStore: Sendable {
    /// Keeps the versions not kept already; a version kept stays as first saved.
    func save(_ versions: [StoredFormVersion]) async throws

    /// The version of the form, if it was ever saved.
    func version(formId: String, version: String) async throws -> StoredFormVersion?
}
