/// Why the outbox's database could not hand back an entry, a session's state, a draft, a file or an event. Never
/// carries outcome values, nor a file's content.
public enum OutboxStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A row that does not read back as an ``OutboxEntry`` (or one that could not be written).
    case unreadableEntry(id: Int64?, reason: String)
    /// A `session_state` row that does not read back as a ``SessionState``.
    case unreadableSessionState(reason: String)
    /// A `drafts` row that does not read back as a ``StoredDraft``.
    case unreadableDraft(reason: String)
    /// A `files` row that does not read back as a ``StoredFile``.
    case unreadableFile(reason: String)
    /// An `events` row that does not read back as a ``StoredEvent``.
    case unreadableEvent(reason: String)
    /// The database did not answer in time (it is down, or overloaded).
    case unavailable(reason: String)

    public var description: String {
        switch self {
        case .unreadableEntry(let id, let reason): "outbox entry \(id.map(String.init) ?? "(new)"): \(reason)"
        case .unreadableSessionState(let reason): "session state: \(reason)"
        case .unreadableDraft(let reason): "draft: \(reason)"
        case .unreadableFile(let reason): "file: \(reason)"
        case .unreadableEvent(let reason): "event: \(reason)"
        case .unavailable(let reason): "outbox unavailable: \(reason)"
        }
    }
}
