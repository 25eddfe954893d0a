import AlvariaModels
import Foundation
import Testing

/// Shared moves of the multi-process fault tests: real app processes, the simulator in this
/// process, real databases.
enum FaultHarness {
    /// Settings that make faults play out in seconds rather than minutes. Rate limits are off:
    /// every submit comes from this one loopback client.
    static let fastDelivery = [
        "LIMITS_PAGE_LOADS_PER_MINUTE": "0",
        "LIMITS_SUBMITS_PER_MINUTE": "0",
        "DELIVERY_CLAIM_LEASE": "2s",
        "DELIVERY_BACKOFF_BASE": "50ms",
        "DELIVERY_BACKOFF_CAP": "300ms",
    ]

    /// Opens the consent form and submits it, as a browser would; returns the POST's status.
    static func submitConsent(_ http: HTTPDriver, _ sessionId: SessionID, name: String = "Ana") async throws -> Int {
        let form = try await http.get("/f/consent-capture?sessionId=\(sessionId.rawValue)")
        guard form.status == 200, let token = TestApp.token(in: form.text) else { return form.status }
        return try await http.post(
            "/f/consent-capture?sessionId=\(sessionId.rawValue)",
            [("_token", token), ("fullName", name), ("channel", "sms"), ("consent", "true")]
        ).status
    }

    /// Outcomes received per session, once every session has at least one or `timeout` passed.
    static func waitForAll(_ simulator: LiveSimulator, _ sessions: [SessionID], timeout: Duration = .seconds(60)) async throws -> [SessionID: Int] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try sessions.allSatisfy({ try simulator.outcomes($0).count >= 1 }) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        var counts: [SessionID: Int] = [:]
        for session in sessions { counts[session] = try simulator.outcomes(session).count }
        return counts
    }

    /// Runs `work` for every item with at most `width` at a time.
    static func concurrently<Item: Sendable, Result: Sendable>(
        _ items: [Item],
        width: Int = 8,
        _ work: @escaping @Sendable (Item) async throws -> Result
    ) async throws -> [Result] {
        try await withThrowingTaskGroup(of: (Int, Result).self) { group in
            var results: [Result?] = Array(repeating: nil, count: items.count)
            var next = 0
            for _ in 0..<min(width, items.count) {
                let index = next
                group.addTask { (index, try await work(items[index])) }
                next += 1
            }
            while let (index, result) = try await group.next() {
                results[index] = result
                if next < items.count {
                    let index = next
                    group.addTask { (index, try await work(items[index])) }
                    next += 1
                }
            }
            return results.compactMap { $0 }
        }
    }
}

/// A PostgreSQL server of the test's own (via scripts/postgres.sh), for tests that stop and
/// restart it: the shared server must stay up for the suites running alongside.
struct OwnPostgresServer: Sendable {
    let directory: String
    let url: String

    static func start() async throws -> OwnPostgresServer {
        let output = try await script(["start"])
        guard let directory = output.firstMatch(of: /TEST_POSTGRES_DIR=(\S+)/)?.1,
            let url = output.firstMatch(of: /TEST_POSTGRES_URL='([^']+)'/)?.1
        else { throw ScriptFailed(output: output) }
        return OwnPostgresServer(directory: String(directory), url: String(url))
    }

    func down() async throws { _ = try await Self.script(["down", directory]) }
    func up() async throws { _ = try await Self.script(["up", directory]) }
    func stop() async { _ = try? await Self.script(["stop", directory]) }

    struct ScriptFailed: Error { let output: String }

    private static func script(_ arguments: [String]) async throws -> String {
        let (status, output) = try await runTool(packageRoot.appendingPathComponent("scripts/postgres.sh").path, arguments)
        guard status == 0 else { throw ScriptFailed(output: output) }
        return output
    }
}

/// Runs a command line tool to completion without blocking a thread of the cooperative pool
/// (a 2-core machine has only two). Output goes through a file, since a server the tool starts
/// keeps inherited pipes open; posix_spawn and waitpid rather than Foundation's Process, which
/// inside the test runner sometimes never reaped its child (it stayed a zombie).
func runTool(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
    let outputPath = try temporaryDirectory().appendingPathComponent("tool.out").path
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for argument in argv { free(argument) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard spawned == 0 else { throw ToolFailed(reason: "posix_spawn \(executable): \(spawned)") }
    var status: Int32 = 0
    let deadline = ContinuousClock.now + .seconds(120)
    while waitpid(pid, &status, WNOHANG) == 0 {
        guard ContinuousClock.now < deadline else {
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
            throw ToolFailed(reason: "\(executable) did not finish within 120 s")
        }
        try await Task.sleep(for: .milliseconds(20))
    }
    let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    // WIFEXITED ? WEXITSTATUS : failure, spelled out: the C macros are not imported.
    return (status & 0x7f == 0 ? (status >> 8) & 0xff : -1, output)
}

/// A tool could not be started.
struct ToolFailed: Error { let reason: String }
