import AlvariaModels
import Forms
public import Foundation

/// What the `disposable-app outbox` commands print: plain text for a terminal, pure functions of
/// what the store returned.
///
/// Never an outcome value (personal data): a listing shows an entry's metadata, its sessionId
/// shortened as in the logs, and Alvaria's reason for the last failure.
public enum OutboxReport {
    /// Longest LAST ERROR shown; the rest is cut with "…" (the whole reason is in the logs).
    static let lastErrorWidth = 60

    /// A fixed-width table of `entries` (newest first, as the store lists them), then a summary of
    /// `counts`. `state` is the `--state` filter, for the empty-listing line and the "showing" note.
    /// `drafts`, the number of drafts in the database, adds a line of its own (nil: none), and
    /// `files`, the uploaded files' count and size, goes next to it (or on that line alone).
    public static func table(
        _ entries: [OutboxEntry],
        counts: [OutboxState: Int],
        state: OutboxState?,
        drafts: Int? = nil,
        files: FileStats? = nil
    ) -> String {
        var summary = Self.summary(counts: counts, shown: entries.count, state: state)
        let storage = [drafts.map(Self.drafts), files.map(Self.files)].compactMap { $0 }
        if !storage.isEmpty { summary += "\n" + storage.joined(separator: ", ") }
        guard !entries.isEmpty else {
            return "no \(state.map { "\($0.rawValue) " } ?? "")outbox entries\n\n\(summary)"
        }
        let columns: [Column] = [
            Column("ID") { "\($0.id)" },
            Column("STATE") { $0.state.rawValue },
            Column("KIND") { $0.kind.rawValue },
            Column("FORM") { clean($0.formId) },
            Column("SESSION") { shortened(session: $0.sessionId) },
            Column("ATTEMPTS", alignRight: true) { "\($0.attempts)" },
            Column("CREATED") { timestamp($0.createdAt) },
            Column("DELIVERED / NEXT ATTEMPT") { entry in
                switch entry.state {
                case .delivered: entry.deliveredAt.map(timestamp) ?? "-"
                case .queued: entry.nextAttemptAt.map(timestamp) ?? "-"
                case .failed: "-"
                }
            },
            Column("LAST ERROR") { $0.lastError.map { truncated(clean($0), to: lastErrorWidth) } ?? "-" },
        ]
        let cells = entries.map { entry in columns.map { $0.value(entry) } }
        let widths = columns.indices.map { index in
            cells.reduce(columns[index].title.count) { max($0, $1[index].count) }
        }
        let line = { (row: [String]) -> String in
            let padded = columns.indices.map { index in
                let last = index == columns.count - 1
                return pad(row[index], to: last ? 0 : widths[index], right: columns[index].alignRight)
            }
            // Two spaces between columns; the last one is not padded, so no trailing blanks.
            return padded.joined(separator: "  ")
        }
        let lines = [line(columns.map(\.title))] + cells.map(line)
        return lines.joined(separator: "\n") + "\n\n" + summary
    }

    /// `2 queued, 1 failed, 10 delivered`, and when the listing is cut by `--limit`, how much of it shows.
    static func summary(counts: [OutboxState: Int], shown: Int, state: OutboxState?) -> String {
        let order: [OutboxState] = [.queued, .failed, .delivered]
        var text = order.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        let matching = state.map { counts[$0] ?? 0 } ?? order.reduce(0) { $0 + (counts[$1] ?? 0) }
        if shown < matching {
            text += "; showing the \(shown) newest\(state.map { " \($0.rawValue)" } ?? "") (--limit for more)"
        }
        return text
    }

    /// `3 drafts in progress`: multi-step forms started and not yet submitted (their answers are
    /// sealed, and never shown).
    static func drafts(_ count: Int) -> String {
        "\(count) \(count == 1 ? "draft" : "drafts") in progress"
    }

    /// `2 files (4.5 MB)`: the uploaded files kept and their size (never a name nor what they hold).
    static func files(_ stats: FileStats) -> String {
        "\(stats.count) \(stats.count == 1 ? "file" : "files") (\(ByteSize.describe(stats.bytes)))"
    }

    /// What `outbox retry ID` prints when the entry is back in the queue.
    public static func requeued(id: Int64) -> String {
        "outbox entry \(id) queued for delivery"
    }

    /// What `outbox purge` prints.
    public static func purged(_ count: Int, deliveredBefore before: Date) -> String {
        "purged \(count) delivered \(count == 1 ? "outcome" : "outcomes") delivered before \(timestamp(before))"
    }

    /// ISO 8601 in UTC to the second, e.g. `2026-05-01T10:00:05Z`: sorts as text and reads the same
    /// on every operator's machine.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// The sessionId as the logs show it: enough to find the log lines, not enough to open someone's form.
    static func shortened(session: String) -> String {
        if let sessionId = SessionID(session) { return sessionId.shortened }
        // Stored before validation got stricter, or damaged: the same rule, and nothing unprintable.
        let cleaned = clean(session)
        return cleaned.count <= 8 ? cleaned : String(cleaned.prefix(6)) + "…"
    }

    /// One line of printable text: a reason from upstream may hold newlines or control characters.
    static func clean(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
    }

    static func truncated(_ text: String, to width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }

    private static func pad(_ text: String, to width: Int, right: Bool) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }

    private struct Column {
        let title: String
        let alignRight: Bool
        let value: (OutboxEntry) -> String

        init(_ title: String, alignRight: Bool = false, _ value: @escaping (OutboxEntry) -> String) {
            self.title = title
            self.alignRight = alignRight
            self.value = value
        }
    }
}
