import Forms
public import Foundation
public import Logging

/// What the operator commands (`disposable-app outbox list | retry | purge`) do, on any
/// ``OutboxStore``; each returns the text to print (see ``OutboxReport``). The executable only
/// parses arguments and maps errors to exit codes.
public enum OutboxOperations {
    /// `outbox list [--state S] [--limit N]`: the newest `limit` entries (in `state`, or all), the
    /// counts per state, how many drafts (forms in progress) there are, and how many uploaded files
    /// and bytes are kept, never what they hold nor what they were called.
    public static func list(
        _ store: any OutboxStore,
        drafts: any DraftStore,
        files: any FileStore,
        state: OutboxState?,
        limit: Int
    ) async throws -> String {
        let entries = try await store.entries(state: state, limit: limit)
        let counts = try await store.counts()
        let draftCount = try await drafts.draftCount()
        let fileStats = try await files.fileStats()
        return OutboxReport.table(entries, counts: counts, state: state, drafts: draftCount, files: fileStats)
    }

    /// `outbox retry ID`: puts a failed (or queued) entry back in the queue, due at `now`; the
    /// deliverer of a running server posts it at its next poll.
    ///
    /// - Throws: ``OutboxOperationError`` when there is no such entry or it was delivered.
    public static func retry(_ store: any OutboxStore, id: Int64, now: Date) async throws -> String {
        if try await store.requeue(id: id, now: now) {
            return OutboxReport.requeued(id: id)
        }
        // Asked only after the fact, to say why: requeue itself decides, atomically.
        guard let entry = try await store.entry(id: id) else { throw OutboxOperationError.noSuchEntry(id: id) }
        throw OutboxOperationError.alreadyDelivered(id: id, at: entry.deliveredAt)
    }

    /// `outbox purge --delivered-before AGE`: deletes delivered entries (metadata and all) delivered
    /// more than `age` before `now`.
    public static func purge(_ store: any OutboxStore, deliveredBefore age: Duration, now: Date) async throws -> String {
        let before = now.addingTimeInterval(-age.inSeconds)
        return OutboxReport.purged(try await store.purgeDelivered(before: before), deliveredBefore: before)
    }

    /// Reads `--delivered-before`: a duration with its unit (`30m`, `12h`, `7d`). A bare number,
    /// which the configuration would read as seconds, is refused here: `purge --delivered-before 7`
    /// deleting everything older than 7 seconds is not what anyone means.
    public static func age(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.last?.isLetter == true else { return nil }
        return Duration(parsing: trimmed)
    }

    /// ``OutboxStores/with(_:logger:_:)`` for commands that look at an outbox that must already
    /// exist: a SQLite file that is not there is an error (most likely the wrong folder or
    /// `database.url`), not a new empty outbox to report on.
    public static func withExistingStore<Value: Sendable>(
        _ settings: DatabaseSettings,
        logger: Logger,
        _ body: @Sendable (OpenedOutboxStore) async throws -> Value
    ) async throws -> Value {
        if case .sqlite(let path) = settings.kind, !FileManager.default.fileExists(atPath: path) {
            throw StartupError(problems: [
                "database \(path): does not exist: check database.url and the working folder (the outbox commands never create a database)"
            ])
        }
        return try await OutboxStores.with(settings, logger: logger, body)
    }
}

/// Why an operator command could not do what it was asked; one line for stderr.
public enum OutboxOperationError: Error, Equatable, CustomStringConvertible {
    case noSuchEntry(id: Int64)
    case alreadyDelivered(id: Int64, at: Date?)

    public var description: String {
        switch self {
        case .noSuchEntry(let id):
            "no outbox entry \(id)"
        case .alreadyDelivered(let id, let at):
            "outbox entry \(id) was delivered\(at.map { " at \(OutboxReport.timestamp($0))" } ?? ""); there is nothing to retry"
        }
    }
}
