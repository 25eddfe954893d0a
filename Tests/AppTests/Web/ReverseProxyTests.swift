import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import App

/// Forwarded headers are believed only from `http.trustedProxies`: the client address in the
/// log is the one a trusted proxy reports, never one a client made up.
@Suite("Behind a reverse proxy")
struct ReverseProxyTests {
    /// The `client.address` of the request log line for `path`.
    private func loggedClient(_ logs: CapturedLogs, route: String) -> [String] {
        logs.lines.filter { $0.message == "Request" && $0.metadata["http.route"] == route }.compactMap { $0.metadata["client.address"] }
    }

    @Test("believes X-Forwarded-For and X-Request-Id from a trusted proxy (loopback by default)")
    func trustedProxy() async throws {
        let logs = CapturedLogs()
        try await TestApp.run(logger: logs.logger) { app in
            let response = try await app.get(
                "/healthz",
                headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.7, 127.0.0.1", HTTPField.Name("X-Request-Id")!: "edge-42"]
            )
            #expect(response.status == .ok)
            #expect(response.headers[HTTPField.Name("X-Request-Id")!] == "edge-42")
        }
        #expect(loggedClient(logs, route: "/healthz") == ["203.0.113.7"])
    }

    @Test("reads RFC 7239 Forwarded, IPv6 included")
    func forwardedHeader() async throws {
        let logs = CapturedLogs()
        try await TestApp.run(logger: logs.logger) { app in
            _ = try await app.get("/healthz", headers: [HTTPField.Name("Forwarded")!: #"for="[2001:db8::17]:4711";proto=https, for=127.0.0.1"#])
        }
        #expect(loggedClient(logs, route: "/healthz") == ["2001:db8::17"])
    }

    @Test("ignores a spoofed X-Forwarded-For and X-Request-Id from an untrusted peer")
    func untrustedPeer() async throws {
        let logs = CapturedLogs()
        // Only 10.0.0.0/8 is trusted, so this loopback test client is an ordinary visitor.
        try await TestApp.run(overrides: ["HTTP_TRUSTED_PROXIES": "10.0.0.0/8"], logger: logs.logger) { app in
            let response = try await app.get(
                "/healthz",
                headers: [HTTPField.Name("X-Forwarded-For")!: "198.51.100.9", HTTPField.Name("X-Request-Id")!: "forged-id"]
            )
            #expect(response.headers[HTTPField.Name("X-Request-Id")!] != "forged-id")
        }
        let clients = loggedClient(logs, route: "/healthz")
        #expect(clients.count == 1)
        #expect(clients.allSatisfy { $0 == "127.0.0.1" || $0 == "::1" }, "\(clients)")
    }

    @Test("takes the rightmost address that is not a trusted proxy, so a client cannot prepend one")
    func rightmostUntrusted() {
        let middleware = ForwardedHeadersMiddleware(trustedProxies: ["127.0.0.0/8", "10.0.0.0/8"].compactMap(IPAddressRange.init))
        let headers: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "6.6.6.6, 203.0.113.7, 10.1.2.3"]
        #expect(middleware.clientAddress(headers, peer: "127.0.0.1") == "203.0.113.7")
        let garbage: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "not-an-ip, <script>"]
        #expect(middleware.clientAddress(garbage, peer: "127.0.0.1") == nil)
        #expect(ForwardedHeadersMiddleware.isSaneRequestId("abc-123") && !ForwardedHeadersMiddleware.isSaneRequestId("a b"))
    }

    @Test("matches addresses against CIDRs, IPv4, IPv6 and IPv4-mapped IPv6")
    func cidrs() throws {
        let ten = try #require(IPAddressRange("10.0.0.0/8"))
        #expect(ten.contains("10.200.3.4"))
        #expect(!ten.contains("11.0.0.1"))
        #expect(ten.contains("::ffff:10.1.1.1"))
        let v6 = try #require(IPAddressRange("2001:db8::/32"))
        #expect(v6.contains("2001:db8:1::5"))
        #expect(!v6.contains("2001:db9::1"))
        #expect(try #require(IPAddressRange("192.0.2.5")).contains("192.0.2.5"))
        #expect(IPAddressRange("10.0.0.0/33") == nil)
        #expect(IPAddressRange("example.com/8") == nil)
    }

    @Test("reports a malformed trusted proxy list at start-up")
    func badTrustedProxies() async {
        await #expect(throws: ConfigurationError.self) {
            _ = try await AppConfig.load(environment: ["HTTP_TRUSTED_PROXIES": "10.0.0.0/8, nonsense"])
        }
    }

    @Test("writes JSON log lines with the metadata as fields")
    func jsonLogs() throws {
        let lines = Lines()
        var handler = JSONLogHandler(label: "test") { lines.append($0) }
        handler[metadataKey: "client.address"] = "203.0.113.7"
        let logger = Logger(label: "test") { _ in handler }
        logger.info("Request", metadata: ["http.status": "200"])
        let line = try #require(lines.all.first)
        #expect(line.hasSuffix("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["message"] == "Request")
        #expect(object["level"] == "info")
        #expect(object["http.status"] == "200")
        #expect(object["client.address"] == "203.0.113.7")
        #expect(object["time"] != nil)
    }
}

/// Lines a log handler wrote.
final class Lines: Sendable {
    private let stored = Mutex<[String]>([])
    func append(_ line: String) { stored.withLock { $0.append(line) } }
    var all: [String] { stored.withLock { $0 } }
}
