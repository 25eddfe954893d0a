public import Foundation

/// An uploaded file as stored: its metadata in clear and its cleaned bytes sealed (``FileVault``),
/// never the bytes in clear, and never the name it was uploaded under.
///
/// Times are those the store recorded (milliseconds, ``StoredTime``), as with ``StoredDraft``.
public struct StoredFile: Sendable, Equatable {
    /// Random (``FileVault``), never derived from the upload: the one thing a signed link names.
    public var id: String
    public var sessionId: String
    public var formId: String
    /// The form field it was uploaded to.
    public var field: String
    /// The type detected from the bytes, which the file is served with.
    public var mediaType: String
    /// The cleaned file's size in bytes (the clear bytes, not the box).
    public var size: Int
    public var sealed: [UInt8]
    /// The upload: the retention counts from it.
    public var createdAt: Date

    public init(
        id: String,
        sessionId: String,
        formId: String,
        field: String,
        mediaType: String,
        size: Int,
        sealed: [UInt8],
        createdAt: Date
    ) {
        self.id = id
        self.sessionId = sessionId
        self.formId = formId
        self.field = field
        self.mediaType = mediaType
        self.size = size
        self.sealed = sealed
        self.createdAt = createdAt
    }
}

/// How many files, and how many bytes they hold (their cleaned sizes): what the operator commands
/// and the retention job's log show, never a name or a byte of content.
public struct FileStats: Sendable, Equatable {
    public var count: Int
    public var bytes: Int

    public init(count: Int, bytes: Int) {
        self.count = count
        self.bytes = bytes
    }
}

/// Uploaded files, in the outbox's database (the same SQLite file or PostgreSQL pool), so that
/// every instance serves every file.
///
/// Store-neutral like ``DraftStore``: SQLite and PostgreSQL implement it, and both run
/// `FileStoreContract`'s suite. A store only keeps boxes: sealing and opening them is
/// ``FileVault``'s, so neither the database nor this code sees a file's content, and no error or
/// log line carries a box.
///
/// Unlike a draft, a file outlives the outcome: storing the outcome leaves the session's files,
/// since the outcome links to them. Only the retention job erases them (``purgeFiles(createdBefore:)``).
public protocol FileStore: Sendable {
    /// Stores a new file. An id already stored is an error (ids are random: it does not happen).
    func saveFile(_ file: StoredFile) async throws

    /// The file with this id; nil when there is none (never stored, or erased).
    func file(id: String) async throws -> StoredFile?

    /// The session's files (metadata and sealed bytes), oldest first; files made in the same
    /// millisecond in the byte order of their ids, the same on every store.
    func files(sessionId: String) async throws -> [StoredFile]

    /// Retention: deletes files created before `before`; returns how many and their total size.
    func purgeFiles(createdBefore before: Date) async throws -> FileStats

    /// For the operator commands: how many files and how many bytes, never what they hold.
    func fileStats() async throws -> FileStats
}
