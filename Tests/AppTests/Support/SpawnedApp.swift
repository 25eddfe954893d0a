import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization
import Testing

/// The real `disposable-app` binary in its own process, for what only a process can show:
/// start-up failures, the demo as a user runs it, and kill -9.
final class SpawnedApp: Sendable {
    let process: Process
    private let output: OutputBuffer

    /// What the process printed so far, and whether its output has ended (end of file).
    final class OutputBuffer: Sendable {
        let text = Mutex("")
        let ended = Mutex(false)
    }

    /// The binary built next to the test bundle (`swift build` builds it).
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("disposable-app")
    }

    private init(process: Process, output: OutputBuffer) {
        self.process = process
        self.output = output
    }

    /// A test that fails half-way must not leave its servers running.
    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Starts the binary; returns at once (use ``waitForPort(timeout:)`` or ``waitForExit(timeout:)``).
    static func launch(arguments: [String] = [], environment: [String: String], directory: URL) throws -> SpawnedApp {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            Issue.record("\(binary.path) is missing: run `swift build` before the tests")
            throw CancellationError()
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { current, _ in current }
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = pipe
        let output = OutputBuffer()
        try process.run()
        // A thread of its own doing blocking reads, rather than a readabilityHandler: a blocking
        // read reports the end of the output reliably (read returns 0 once the process is gone),
        // so waitForExit can wait for the last lines instead of racing them.
        let reader = pipe.fileHandleForReading
        Thread.detachNewThread {
            while case let data = reader.availableData, !data.isEmpty {
                output.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
            output.ended.withLock { $0 = true }
        }
        return SpawnedApp(process: process, output: output)
    }

    var log: String { output.text.withLock { $0 } }

    /// The port from the app's "Serving" line (bounded wait).
    func waitForPort(timeout: Duration = .seconds(60)) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let match = log.firstMatch(of: /http\.url=http:\/\/[^ :]+:(\d+)/), let port = Int(match.1) {
                return port
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("the app did not start serving; its output:\n\(log)")
        throw CancellationError()
    }

    /// The exit code, waiting at most `timeout`; by then ``log`` holds everything the process
    /// printed (its last lines can still be in the pipe when it exits).
    func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning || !output.ended.withLock({ $0 }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(25))
        }
        guard !process.isRunning else {
            process.terminate()
            Issue.record("the app did not exit in time")
            throw CancellationError()
        }
        return process.terminationStatus
    }

    func kill9() async throws {
        kill(process.processIdentifier, SIGKILL)
        _ = try await waitForExit()
    }

    func terminate() async throws -> Int32 {
        kill(process.processIdentifier, SIGTERM)
        return try await waitForExit()
    }
}

/// Plain HTTP to a spawned app, the way a browser would send it.
struct HTTPDriver: Sendable {
    let client: HTTPClient
    let origin: String
    var timeout: TimeAmount = .seconds(30)

    /// One answer, body read in full.
    struct Page: Sendable {
        let status: Int
        let headers: [(String, String)]
        let text: String

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    func get(_ path: String, headers: [(String, String)] = []) async throws -> Page {
        var request = HTTPClientRequest(url: origin + path)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        return try await send(request)
    }

    func post(_ path: String, _ fields: [(String, String)]) async throws -> Page {
        var request = HTTPClientRequest(url: origin + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Sec-Fetch-Site", value: "same-origin")
        request.body = .bytes(ByteBuffer(string: TestApp.encode(fields)))
        return try await send(request)
    }

    /// Posts a body as it is, with its content type, as a same-origin page would.
    func post(_ path: String, body: ByteBuffer, contentType: String) async throws -> Page {
        var request = HTTPClientRequest(url: origin + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        request.headers.add(name: "Sec-Fetch-Site", value: "same-origin")
        request.body = .bytes(body)
        return try await send(request)
    }

    private func send(_ request: HTTPClientRequest) async throws -> Page {
        let response = try await client.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 1 << 20)
        return Page(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, text: String(buffer: body))
    }
}

/// An HTTP client that does not follow redirects (tests look at the 303 itself), shut down after.
func withHTTPDriver<Value: Sendable>(
    port: Int,
    timeout: TimeAmount = .seconds(30),
    _ body: @Sendable (HTTPDriver) async throws -> Value
) async throws -> Value {
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
    do {
        let value = try await body(HTTPDriver(client: client, origin: "http://127.0.0.1:\(port)", timeout: timeout))
        try await client.shutdown()
        return value
    } catch {
        try await client.shutdown()
        throw error
    }
}
