import Foundation

/// Seals and opens the content of uploaded files, and keeps them in a ``FileStore``.
///
/// The cleaned bytes are sealed by a ``Sealer`` with the files' own keys (purpose `files`, derived
/// from `security.secret`; `security.previousSecrets` still open older files), bound to the
/// session, the file's id and its detected type: the database never holds a file in clear, and a
/// box copied into another row (another session's, or another file's of the same session, which
/// would serve it under that file's type) does not open. The metadata (form, field, detected type, size) stays in clear for serving and
/// for the operators. Nothing here logs, and no error carries a file's content.
struct FileVault: Sendable {
    let store: any FileStore
    private let sealer: Sealer

    /// Bytes of a new file's id: 128 random bits, 22 base64url characters.
    static let idBytes = 16

    init(store: any FileStore, secrets: SecretKeys) {
        self.store = store
        self.sealer = Sealer(secrets: secrets, purpose: "files")
    }

    /// Stores cleaned bytes; returns the new file's id: 16 random bytes as 22-char base64url (Base64URL.encode), never derived from the upload's name.
    ///
    /// - Returns: the stored metadata (sealed included), its time as the store keeps it
    ///   (milliseconds), so it equals what ``FileStore/file(id:)`` reads back.
    func put(_ bytes: [UInt8], mediaType: String, sessionId: String, formId: String, field: String, at: Date) async throws -> StoredFile {
        let id = Self.newId()
        let file = StoredFile(
            id: id,
            sessionId: sessionId,
            formId: formId,
            field: field,
            mediaType: mediaType,
            size: bytes.count,
            sealed: sealer.seal(bytes, sessionId: Self.binding(sessionId: sessionId, id: id, mediaType: mediaType)),
            createdAt: StoredTime.date(StoredTime.millis(at))
        )
        try await store.saveFile(file)
        return file
    }

    /// What ``open(id:)`` found.
    enum Opened: Sendable {
        /// The file's row and its clear bytes.
        case found(StoredFile, [UInt8])
        /// No such file: never stored, or erased by the retention.
        case missing
        /// The row is there but no accepted key opens its box for its session (a retired secret,
        /// a damaged or moved row), or the box holds another size than the row says.
        case unreadable
    }

    /// The file and its clear bytes; `.missing` once erased; `.unreadable` when no key opens it (a retired secret, a damaged row).
    func open(id: String) async throws -> Opened {
        guard let file = try await store.file(id: id) else { return .missing }
        let binding = Self.binding(sessionId: file.sessionId, id: file.id, mediaType: file.mediaType)
        guard let bytes = sealer.open(file.sealed, sessionId: binding), bytes.count == file.size else { return .unreadable }
        return .found(file, bytes)
    }

    /// What a file's box is bound to (AES-GCM's associated data). Unit separators keep the parts
    /// apart; a sessionId and an id never hold one.
    static func binding(sessionId: String, id: String, mediaType: String) -> String {
        "\(sessionId)\u{1F}\(id)\u{1F}\(mediaType)"
    }

    /// A new file's id: random, unguessable and URL-safe, from the system's cryptographic generator.
    static func newId() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<idBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return bytes.withUnsafeBytes { Base64URL.encode($0) }
    }
}
