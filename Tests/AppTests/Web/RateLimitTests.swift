import Forms
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// Per-client rate limits on page loads and submits: 429 with the friendly page and
/// `Retry-After`, other clients and the operational routes unaffected.
@Suite("Rate limits per client")
struct RateLimitTests {
    @Test("a burst of page loads beyond the limit gets 429 with Retry-After and the page; health and static files still answer")
    func pageLoadBurst() async throws {
        try await TestApp.run(overrides: ["LIMITS_PAGE_LOADS_PER_MINUTE": "3"]) { app in
            let sessionId = try await app.simulator.createDialog("{}")
            let uri = "/f/address-update?sessionId=\(sessionId.rawValue)"
            for _ in 0..<3 { #expect(try await app.get(uri).status == .ok) }
            let limited = try await app.get(uri)
            #expect(limited.status == .tooManyRequests)
            // 3 per minute: the next token comes within 20 seconds.
            let retryAfter = try #require(limited.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...20).contains(retryAfter))
            #expect(limited.text.contains("Too many attempts"))
            #expect(limited.headers[.contentType] == "text/html; charset=utf-8")
            let spanish = try await app.get(uri + "&lang=es")
            #expect(spanish.status == .tooManyRequests)
            #expect(spanish.text.contains("Demasiados intentos"))
            #expect(app.simulator.state.stats.contextRequests == 3)
            #expect(try await app.get("/healthz").status == .ok)
            #expect(try await app.get("/readyz").status == .ok)
            #expect(try await app.get("/static/css/app.css").status == .ok)
        }
    }

    @Test("IPv6 clients are counted by their /64: rotating addresses inside it does not reset the limit")
    func ipv6ByPrefix() async throws {
        try await TestApp.run(overrides: ["LIMITS_PAGE_LOADS_PER_MINUTE": "2"]) { app in
            let uri = "/f/address-update?sessionId=ipv6-test"
            func load(from address: String) async throws -> HTTPResponse.Status {
                // The test client is on loopback, a trusted proxy by default: it speaks for the client.
                try await app.get(uri, headers: [HTTPField.Name("X-Forwarded-For")!: address]).status
            }
            let first = try await load(from: "2001:db8:1:2::1")
            let second = try await load(from: "2001:db8:1:2::2")
            let third = try await load(from: "2001:db8:1:2:ffff:ffff:ffff:ffff")
            let otherNetwork = try await load(from: "2001:db8:1:3::1")
            #expect(first != .tooManyRequests && second != .tooManyRequests)
            #expect(third == .tooManyRequests)
            #expect(otherNetwork != .tooManyRequests)
        }
    }

    @Test(
        "the rate-limit key of an address",
        arguments: [
            ("203.0.113.7", "203.0.113.7"), ("::ffff:203.0.113.7", "203.0.113.7"), ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2:0:0:0:0/64"),
            ("2001:DB8:1:2::9", "2001:db8:1:2:0:0:0:0/64"), ("not an address", "not an address"),
        ]
    )
    func rateLimitKey(address: String, key: String) {
        #expect(IPAddressRange.rateLimitKey(for: address) == key)
    }

    @Test("submits have their own bucket: a person who loaded the page can still send it, until the submit limit")
    func submitBucket() async throws {
        try await TestApp.run(overrides: ["LIMITS_PAGE_LOADS_PER_MINUTE": "1", "LIMITS_SUBMITS_PER_MINUTE": "2"]) { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"consent-capture"}"#)
            let uri = "/f/consent-capture?sessionId=\(sessionId.rawValue)"
            let token = try #require(TestApp.token(in: try await app.get(uri).text))
            #expect(try await app.get(uri).status == .tooManyRequests)
            let fields = [("_token", token), ("fullName", "Ana"), ("channel", "sms"), ("consent", "true")]
            #expect(try await app.post(uri, fields).status == .seeOther)
            #expect(try await app.post(uri, fields).status == .conflict)
            let limited = try await app.post(uri, fields)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
        }
    }

    @Test("by default a burst of 60 page loads passes and the next is refused, and 0 turns the limit off")
    func defaultsAndDisabling() async throws {
        try await TestApp.run { app in
            // 60 per minute also refills one a second while the burst runs: count until refused.
            let started = ContinuousClock.now
            var allowed = 0
            while allowed <= 200, try await app.get("/f/address-update?sessionId=bad%20id").status == .badRequest {
                allowed += 1
            }
            let refilled = Int((ContinuousClock.now - started).components.seconds) + 1
            #expect(allowed >= 60)
            #expect(allowed <= 60 + refilled)
        }
        try await TestApp.run(overrides: ["LIMITS_PAGE_LOADS_PER_MINUTE": "0"]) { app in
            for _ in 0..<80 {
                let status = try await app.get("/f/address-update?sessionId=bad%20id").status
                #expect(status == .badRequest)
            }
        }
    }

    @Test("one client over the limit leaves another client's requests untouched")
    func otherClientsUnaffected() async throws {
        let messages = try MessageCatalog.bundled()
        let presentation = Presentation(urls: AppURLs(basePath: ""), messages: messages, branding: Branding(), forms: try FormCatalog(forms: []))
        let router = Router()
        // The key comes from a header here so that one test can be two clients; the app keys on the address.
        router.add(
            middleware: RateLimitMiddleware(
                pageLoads: TokenBucketLimiter(perMinute: 2),
                submits: TokenBucketLimiter(perMinute: 2),
                uploads: TokenBucketLimiter(perMinute: 1),
                clientKey: { request, _ in request.headers[HTTPField.Name("X-Client")!] ?? "" },
                pages: PageLibrary(forms: try FormCatalog(forms: []), presentation: presentation)
            )
        )
        router.get("page") { _, _ in "ok" }
        try await Application(router: router).test(.router) { client in
            let load = { @Sendable (address: String) async throws -> HTTPResponse.Status in
                try await client.execute(uri: "/page", method: .get, headers: [HTTPField.Name("X-Client")!: address]) { $0 }.status
            }
            for _ in 0..<2 {
                let status = try await load("203.0.113.1")
                #expect(status == .ok)
            }
            let limited = try await load("203.0.113.1")
            #expect(limited == .tooManyRequests)
            for _ in 0..<2 {
                let status = try await load("203.0.113.2")
                #expect(status == .ok)
            }
        }
    }

    @Test("posts with files also take from limits.uploadsPerMinute; an autosave counts as a page load")
    func uploadsAndAutosaves() async throws {
        let messages = try MessageCatalog.bundled()
        let presentation = Presentation(urls: AppURLs(basePath: ""), messages: messages, branding: Branding(), forms: try FormCatalog(forms: []))
        let router = Router()
        router.add(
            middleware: RateLimitMiddleware(
                pageLoads: TokenBucketLimiter(perMinute: 1),
                submits: TokenBucketLimiter(perMinute: 3),
                uploads: TokenBucketLimiter(perMinute: 1),
                clientKey: { _, _ in "203.0.113.9" },
                pages: PageLibrary(forms: try FormCatalog(forms: []), presentation: presentation)
            )
        )
        router.post("form") { _, _ in "ok" }
        try await Application(router: router).test(.router) { client in
            let post = { @Sendable (uri: String, contentType: String) async throws -> HTTPResponse.Status in
                try await client.execute(uri: uri, method: .post, headers: [.contentType: contentType]) { $0 }.status
            }
            let multipart = "multipart/form-data; boundary=x"
            let urlencoded = "application/x-www-form-urlencoded"
            let statuses = [
                try await post("/form", multipart), try await post("/form", multipart), try await post("/form", urlencoded),
                try await post("/form?autosave=1", urlencoded), try await post("/form?autosave=1", urlencoded),
            ]
            // The second upload in the minute is refused, a post without files still goes; autosaves share the page loads'.
            #expect(statuses == [.ok, .tooManyRequests, .ok, .ok, .tooManyRequests])
        }
    }
}
