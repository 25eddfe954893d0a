import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import App

/// What anyone on the internet may send: each is answered with a clear 4xx (or the connection
/// is closed), quickly, and the server goes on serving.
@Suite("Hostile input")
struct HostileInputTests {
    static let formHeaders: HTTPFields = [
        .contentType: "application/x-www-form-urlencoded", HTTPField.Name("Sec-Fetch-Site")!: "same-origin",
    ]

    @Test("control characters, bidi overrides and piled combining marks are refused by field; a NUL from the context never reaches the page")
    func textThatIsNotText() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(
                #"{"form":"address-update","firstName":"A\u0000na","street":"1 Old\u0000 Road","customerId":"C-7"}"#
            )
            let uri = "/f/address-update?sessionId=\(sessionId.rawValue)"
            let page = try await app.get(uri)
            #expect(!page.body.readableBytesView.contains(0))
            #expect(page.text.contains("Hi Ana"))
            for street in ["1 Main\u{0} St", "1 Main\u{1B}[31m St", "1 \u{202E}niaM St", "AB" + String(repeating: "\u{301}", count: 9_000)] {
                let response = try await app.submit(
                    uri,
                    [("street", street), ("postalCode", "1000-001"), ("city", "Lisbon"), ("country", "ES")]
                )
                #expect(response.status == .unprocessableContent)
                #expect(response.text.contains(#"id="field-street-error""#))
            }
            #expect(app.simulator.outcomeRequests == 0)
        }
    }

    @Test("a 4 MiB body is 413 'too much to send'")
    func hugeBody() async throws {
        try await TestApp.run { app in
            let uri = try await Self.formURI(app)
            let body = ByteBuffer(repeating: UInt8(ascii: "a"), count: 4 * 1024 * 1024)
            let response = try await app.client.execute(uri: uri, method: .post, headers: Self.formHeaders, body: body) { $0 }
            #expect(response.status == .contentTooLarge)
            #expect(response.text.contains("Too much to send"))
            try await Self.stillServing(app)
        }
    }

    @Test("malformed percent-encoding and invalid UTF-8 are 400", arguments: ["street=%ZZ", "street=%4", "street=%FF%FE", "%C3%28=x"])
    func malformedBodies(body: String) async throws {
        try await TestApp.run { app in
            let uri = try await Self.formURI(app)
            let response = try await app.client.execute(uri: uri, method: .post, headers: Self.formHeaders, body: ByteBuffer(string: body)) { $0 }
            #expect(response.status == .badRequest)
            #expect(app.simulator.state.stats.outcomeRequests == 0)
            try await Self.stillServing(app)
        }
    }

    @Test("raw bytes that are not UTF-8 in the body are 400")
    func rawInvalidUTF8() async throws {
        try await TestApp.run { app in
            let uri = try await Self.formURI(app)
            let body = ByteBuffer(bytes: Array("street=".utf8) + [0xFF, 0xC0, 0x80])
            let response = try await app.client.execute(uri: uri, method: .post, headers: Self.formHeaders, body: body) { $0 }
            #expect(response.status == .badRequest)
            try await Self.stillServing(app)
        }
    }

    /// Decided: more fields than any form has (over 1,000) is 413 "too much to send", refused
    /// before the token check or validation looks at any of them.
    @Test("a 10,000-field form is 413, answered at once, and nothing is stored or sent")
    func tenThousandFields() async throws {
        try await TestApp.run { app in
            let uri = try await Self.formURI(app)
            let token = try #require(TestApp.token(in: try await app.get(uri).text))
            let fields = [("_token", token)] + (0..<10_000).map { ("f\($0)", "x") }
            let started = ContinuousClock.now
            let response = try await app.post(uri, fields)
            #expect(ContinuousClock.now - started < .seconds(2))
            #expect(response.status == .contentTooLarge)
            #expect(response.text.contains("Too much to send"))
            #expect(app.simulator.state.stats.outcomeRequests == 0)
            try await Self.stillServing(app)
        }
    }

    @Test("a 64 KiB header is refused with 400 and the connection closed")
    func hugeHeader() async throws {
        try await TestApp.run { app in
            let connection = try RawConnection(port: try #require(app.client.port))
            await connection.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: \(String(repeating: "a", count: 64 * 1024))\r\n\r\n")
            let (text, closed) = await connection.readUntilClosed()
            #expect(closed, "got \(text.prefix(200))")
            #expect(text.hasPrefix("HTTP/1.1 400"))
            try await Self.stillServing(app)
        }
    }

    @Test("a public folder named with a trailing slash does not admit a sibling folder of a longer name")
    func siblingFolder() async throws {
        let parent = try temporaryDirectory()
        let publicDirectory = parent.appendingPathComponent("Public")
        let sibling = parent.appendingPathComponent("PublicX")
        for folder in [publicDirectory, sibling] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        try "not for the web".write(to: sibling.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: publicDirectory.appendingPathComponent("leak.txt").path,
            withDestinationPath: "../PublicX/secret.txt"
        )
        try await TestApp.run(overrides: ["HTTP_PUBLIC_DIRECTORY": publicDirectory.path + "/"]) { app in
            let response = try await app.get("/static/leak.txt")
            #expect(response.status == .notFound)
            #expect(!response.text.contains("not for the web"))
        }
    }

    @Test("a slowloris trickling its headers is disconnected after the idle timeout")
    func slowHeaders() async throws {
        try await TestApp.run(overrides: ["HTTP_IDLE_TIMEOUT": "1s"]) { app in
            let connection = try RawConnection(port: try #require(app.client.port))
            let started = ContinuousClock.now
            #expect(await connection.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n"))
            var closed = false
            // One header byte every 200 ms, for at most 12 s: the server must hang up first.
            while !closed, ContinuousClock.now - started < .seconds(12) {
                closed = await connection.waitForClose(within: .milliseconds(200))
                if !closed { closed = await !connection.send("X") }
            }
            let elapsed = ContinuousClock.now - started
            #expect(closed)
            #expect(elapsed >= .milliseconds(900))
            // 1 s plus scheduling slack on a busy machine; far below the 30 s default.
            #expect(elapsed < .seconds(10))
            // The test client's own connection has idled out too: check on a fresh one.
            let check = try RawConnection(port: try #require(app.client.port))
            #expect(await check.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
            #expect(await check.readUntilClosed().text.hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test("slow bodies trickling a byte at a time are disconnected after http.bodyTimeout, however steady")
    func slowBodies() async throws {
        try await TestApp.run(overrides: ["HTTP_BODY_TIMEOUT": "1s", "HTTP_IDLE_TIMEOUT": "5s"]) { app in
            let port = try #require(app.client.port)
            let connections = try (0..<5).map { _ in try RawConnection(port: port) }
            let started = ContinuousClock.now
            for connection in connections {
                let head =
                    "POST /f/consent-capture?sessionId=slow HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
                #expect(await connection.send(head))
            }
            // One body byte per connection every 200 ms (well inside the idle timeout), for at most 12 s.
            var open = connections
            while !open.isEmpty, ContinuousClock.now - started < .seconds(12) {
                var stillOpen: [RawConnection] = []
                for connection in open {
                    let closed = await connection.waitForClose(within: .milliseconds(40))
                    if !closed, await connection.send("a") { stillOpen.append(connection) }
                }
                open = stillOpen
            }
            let elapsed = ContinuousClock.now - started
            #expect(open.isEmpty)
            #expect(elapsed >= .milliseconds(900))
            // 1 s plus scheduling slack on a busy machine; far below the 5 s idle timeout's reach.
            #expect(elapsed < .seconds(10))
            try await Self.stillServing(app)
        }
    }

    @Test(
        "path traversal on /static/ never serves a file outside Public/",
        arguments: [
            "/static/../Package.swift", "/static/%2e%2e/Package.swift", "/static/%2e%2e%2fPackage.swift", "/static/..%2fPackage.swift",
            "/static/css/../../Package.swift", "/static/css/%2e%2e%2f%2e%2e%2fPackage.swift", "/static/%2E%2E/%2E%2E/Package.swift",
            "/static/..%5cPackage.swift", "/static/....//Package.swift",
        ]
    )
    func pathTraversal(uri: String) async throws {
        try await TestApp.run { app in
            let response = try await app.get(uri)
            #expect((400..<500).contains(response.status.code))
            #expect(!response.text.contains("swift-tools-version"))
            try await Self.stillServing(app)
        }
    }

    @Test("a doubled slash under /static/ never redirects off the site, and a NUL in a path is 400")
    func staticOddities() async throws {
        try await TestApp.run { app in
            for uri in ["/static//css", "/static/css", "/static//css/", "/static/"] {
                let response = try await app.get(uri)
                #expect(response.status == .notFound, "\(uri)")
                #expect(response.headers[.location] == nil, "\(uri)")
            }
            let nul = try await app.get("/static/js/form.js%00.html")
            #expect(nul.status == .badRequest)
            #expect(nul.headers[.contentType] == "text/html; charset=utf-8")
            #expect(!nul.text.contains("function"))
            #expect(try await app.get("/static/js/form.js").status == .ok)
        }
    }

    @Test(
        "a path holds a NUL when it has a raw one or %00 anywhere",
        arguments: [
            ("/static/js/form.js%00.html", true), ("%00", true), ("/a%%00", true), ("/a\u{0}b", true), ("/a%0", false), ("/100%", false),
            ("/a%2000", false), ("/x00/%0a0", false),
        ]
    )
    func nulInPath(path: String, holds: Bool) {
        #expect(NULPathMiddleware<AppRequestContext>.holdsNUL(path.utf8) == holds)
    }

    @Test("a symbolic link in the public folder is served only when it points inside it")
    func symbolicLinks() async throws {
        let outside = try temporaryDirectory()
        let secret = outside.appendingPathComponent("secret.txt")
        try "not for the web".write(to: secret, atomically: true, encoding: .utf8)
        let publicDirectory = try temporaryDirectory()
        try FileManager.default.createDirectory(at: publicDirectory.appendingPathComponent("css"), withIntermediateDirectories: true)
        try "body{}".write(to: publicDirectory.appendingPathComponent("css/app.css"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: publicDirectory.appendingPathComponent("leak.txt"), withDestinationURL: secret)
        try FileManager.default.createSymbolicLink(at: publicDirectory.appendingPathComponent("outside"), withDestinationURL: outside)
        try FileManager.default.createSymbolicLink(
            atPath: publicDirectory.appendingPathComponent("alias.css").path,
            withDestinationPath: "css/app.css"
        )
        try await TestApp.run(overrides: ["HTTP_PUBLIC_DIRECTORY": publicDirectory.path]) { app in
            for uri in ["/static/leak.txt", "/static/outside/secret.txt"] {
                let response = try await app.get(uri)
                #expect(response.status == .notFound, "\(uri)")
                #expect(!response.text.contains("not for the web"))
            }
            let inside = try await app.get("/static/alias.css")
            #expect(inside.status == .ok)
            #expect(inside.text == "body{}")
        }
    }

    @Test("a sessionId of 5,000 characters is 400 'link incomplete' without any upstream call")
    func longSessionId() async throws {
        try await TestApp.run { app in
            let uri = "/f/address-update?sessionId=\(String(repeating: "a", count: 5000))"
            let page = try await app.get(uri)
            #expect(page.status == .badRequest)
            #expect(page.text.contains("This link is incomplete"))
            let submit = try await app.client.execute(uri: uri, method: .post, headers: Self.formHeaders, body: ByteBuffer(string: "a=b")) { $0 }
            #expect(submit.status == .badRequest)
            #expect(app.simulator.state.stats.contextRequests == 0)
            #expect(app.simulator.tokenRequests == 0)
            try await Self.stillServing(app)
        }
    }

    private static func formURI(_ app: TestApp) async throws -> String {
        let sessionId = try await app.simulator.createDialog("{}")
        return "/f/address-update?sessionId=\(sessionId.rawValue)"
    }

    /// The server still answers, on the test client's connection.
    private static func stillServing(_ app: TestApp) async throws {
        #expect(try await app.get("/healthz").status == .ok)
    }
}
