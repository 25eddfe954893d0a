import AlvariaModels
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import App

/// Every page type carries DESIGN.md's headers, and nothing personal reaches the logs.
@Suite("Security headers and log hygiene")
struct SecurityHeaderTests {
    private func expectHeaders(_ response: TestResponse, personal: Bool, _ what: String) {
        let csp = response.headers[.contentSecurityPolicy] ?? ""
        #expect(csp.contains("default-src 'none'"), "\(what)")
        #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "\(what)")
        #expect(csp.contains("frame-ancestors 'none'"), "\(what)")
        #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin", "\(what)")
        #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(what)")
        if personal { #expect(response.headers[.cacheControl] == "no-store", "\(what)") }
        #expect(response.headers[.strictTransportSecurity] == nil, "no HSTS on a plain-http public URL: \(what)")
    }

    @Test("every page type has the CSP, referrer, nosniff and no-store headers")
    func everyPageType() async throws {
        try await TestApp.run { app in
            let sessionId = try await app.simulator.createDialog(#"{"form":"consent-capture"}"#)
            let uri = "/f/consent-capture?sessionId=\(sessionId.rawValue)"
            expectHeaders(try await app.get(uri), personal: true, "form")
            expectHeaders(try await app.get("/f/consent-capture"), personal: true, "link incomplete")
            expectHeaders(try await app.get("/f/nope?sessionId=x"), personal: true, "not found")
            expectHeaders(try await app.get("/f/consent-capture?sessionId=gone"), personal: true, "expired")
            expectHeaders(try await app.post(uri, [("fullName", "x")]), personal: true, "page expired")
            let errors = try await app.submit(uri, [("fullName", "")])
            expectHeaders(errors, personal: true, "field errors")
            let submitted = try await app.submit(uri, [("fullName", "Ana"), ("channel", "sms"), ("consent", "true")])
            expectHeaders(submitted, personal: true, "redirect")
            expectHeaders(try await app.get(try #require(submitted.headers[.location])), personal: true, "confirmation")
            expectHeaders(try await app.get(uri), personal: true, "already completed")
            let css = try await app.get("/static/css/app.css")
            expectHeaders(css, personal: false, "stylesheet")
            #expect(css.headers[.cacheControl]?.contains("max-age") == true)
            expectHeaders(try await app.get("/healthz"), personal: true, "health")
        }
    }

    @Test("frame-ancestors follows security.frameAncestors and HSTS appears with an https public URL")
    func configurableHeaders() async throws {
        try await TestApp.run(overrides: ["SECURITY_FRAME_ANCESTORS": "https://desktop.example.com", "HTTP_PUBLIC_URL": "https://forms.example.com"])
        { app in
            let response = try await app.get("/healthz")
            #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors https://desktop.example.com") == true)
            #expect(response.headers[.strictTransportSecurity] == "max-age=31536000")
        }
    }

    @Test("a whole visit logs no token, secret, field value or whole sessionId, even at trace level")
    func logHygiene() async throws {
        let logs = CapturedLogs()
        var logger = logs.logger
        logger.logLevel = .trace
        let sessionId = "sim-LOGSCANabcdefghij0123"
        try await TestApp.run(logger: logger) { app in
            _ = try await app.simulator.createDialog(#"{"form":"consent-capture","fullName":"Context Secret Name"}"#, sessionId: sessionId)
            let uri = "/f/consent-capture?sessionId=\(sessionId)"
            _ = try await app.submit(uri, [("fullName", "")])
            try await app.simulator.setFaults(#"{"failNextOutcome": 1}"#)
            let submitted = try await app.submit(uri, [("fullName", "Typed Private Value"), ("channel", "sms"), ("consent", "true")])
            #expect(submitted.status == .seeOther)
            _ = try await app.simulator.waitForOutcomes(SessionID(sessionId)!)
        }
        let text = logs.lines.map(\.text).joined(separator: "\n")
        #expect(!logs.lines.isEmpty)
        for leak in [sessionId, "Typed Private Value", "Context Secret Name", "demo-secret", "demo-key", "test-secret-0123456789", "Bearer "] {
            #expect(!text.contains(leak), "\(leak) reached the log")
        }
        #expect(text.contains("sim-LO"), "sessions appear shortened")
    }
}
