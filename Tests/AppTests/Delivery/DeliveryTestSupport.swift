import AlvariaModels
import Foundation
import Logging
import Synchronization
import Testing

@testable import App

/// A fresh folder under the system's temporary directory, removed after the body.
func withTemporaryFolder<Value>(_ body: (URL) async throws -> Value) async throws -> Value {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try await body(folder)
}

/// Wall-clock `Date`s a test moves by hand: the deliverer's backoff and claims are checked
/// against it, so a test jumps over a backoff instead of sleeping through it.
final class TestDateClock: Sendable {
    /// A whole second, so dates survive the store's millisecond precision unchanged.
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    private let current = Mutex(TestDateClock.start)

    var now: Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var function: @Sendable () -> Date { { self.now } }
}

/// A log handler that keeps every line, so tests can check what is (and is not) logged.
final class CapturedLogs: Sendable {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]

        /// Everything in the line as one text, to search for leaks.
        var text: String { ([message] + metadata.map { "\($0.key)=\($0.value)" }).joined(separator: " ") }
    }

    private let stored = Mutex<[Line]>([])

    var lines: [Line] { stored.withLock { $0 } }

    var logger: Logger {
        Logger(label: "captured") { _ in Handler(logs: self) }
    }

    fileprivate func append(_ line: Line) { stored.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let logs: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            logs.append(Line(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
        }
    }
}

/// A new outcome for `sessionId`, created at the test clock's start unless told otherwise.
func newOutcome(
    _ sessionId: String,
    formId: String = "address-update",
    kind: OutcomeKind = .submitted,
    variables: [OutcomeVariable] = [OutcomeVariable(id: "newStreet", value: "1 Main St"), OutcomeVariable(id: "formStatus", value: "completed")],
    createdAt: Date = TestDateClock.start
) -> NewOutcome {
    NewOutcome(sessionId: sessionId, formId: formId, kind: kind, variables: variables, createdAt: createdAt)
}

extension EnqueueResult {
    /// The stored entry, or a recorded issue.
    func storedEntry(sourceLocation: SourceLocation = #_sourceLocation) throws -> OutboxEntry {
        guard case .stored(let entry) = self else {
            Issue.record("expected .stored, got \(self)", sourceLocation: sourceLocation)
            throw StoredEntryMissing()
        }
        return entry
    }

    private struct StoredEntryMissing: Error {}
}

/// Polls `condition` every 10 ms for up to `limit`, for the one thing a test cannot drive itself
/// (a service's own loop). Records an issue on timeout.
func waitUntil(
    limit: Duration = .seconds(10),
    sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("condition not met within \(limit)", sourceLocation: sourceLocation)
}
