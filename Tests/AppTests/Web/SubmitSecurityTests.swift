import AlvariaModels
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App

/// Only pages this server rendered, for this session and form, recently, from its own origin,
/// may submit; everything else is 403 "page expired" and delivers nothing.
@Suite("Submit protection")
struct SubmitSecurityTests {
    private let fields = [("fullName", "Ana"), ("channel", "sms"), ("consent", "true")]

    private func expectRefused(_ app: RouterTestApp, _ sessionId: SessionID, _ response: TestResponse) throws {
        #expect(response.status == .forbidden)
        #expect(response.text.contains("This page has expired"))
        #expect(response.text.contains("Reload the form"))
        let received = try app.simulator.outcomes(sessionId)
        #expect(received.isEmpty)
    }

    @Test("a post without a token is refused")
    func noToken() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog("{}")
            try expectRefused(app, sessionId, try await app.post("/f/consent-capture?sessionId=\(sessionId.rawValue)", fields))
        }
    }

    @Test("a forged token, or one for another session or form, is refused")
    func forgedToken() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog("{}")
            let other = try await app.simulator.createDialog("{}")
            let uri = "/f/consent-capture?sessionId=\(sessionId.rawValue)"
            let otherToken = try #require(TestApp.token(in: try await app.get("/f/consent-capture?sessionId=\(other.rawValue)").text))
            let otherFormToken = try #require(TestApp.token(in: try await app.get("/f/address-update?sessionId=\(sessionId.rawValue)").text))
            let forged = FormTokenSigner(keys: SecretKeys(current: Array("another-secret-0123456789-0123456789".utf8)), lifetime: .seconds(3600))
                .token(sessionId: sessionId.rawValue, formId: "consent-capture")
            for token in ["garbage", "1700000000.AAAA", otherToken, otherFormToken, forged] {
                try expectRefused(app, sessionId, try await app.post(uri, [("_token", token)] + fields))
            }
        }
    }

    @Test("an expired token is refused")
    func expiredToken() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog("{}")
            let signer = FormTokenSigner(
                keys: SecretKeys(current: Array("test-secret-0123456789-0123456789-abcdef".utf8)),
                lifetime: .seconds(4 * 3600)
            )
            let stale = signer.token(sessionId: sessionId.rawValue, formId: "consent-capture", issuedAt: Date().addingTimeInterval(-5 * 3600))
            let fresh = signer.token(sessionId: sessionId.rawValue, formId: "consent-capture")
            let uri = "/f/consent-capture?sessionId=\(sessionId.rawValue)"
            try expectRefused(app, sessionId, try await app.post(uri, [("_token", stale)] + fields))
            #expect(try await app.post(uri, [("_token", fresh)] + fields).status == .seeOther, "the same secret's fresh token passes")
        }
    }

    @Test(
        "a cross-site post is refused",
        arguments: [
            [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"],
            [HTTPField.Name("Sec-Fetch-Site")!: "same-site"],
            [HTTPField.Name("Origin")!: "https://evil.example"],
        ] as [HTTPFields]
    )
    func crossSite(headers: HTTPFields) async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog("{}")
            let response = try await app.submit("/f/consent-capture?sessionId=\(sessionId.rawValue)", fields, headers: headers)
            try expectRefused(app, sessionId, response)
        }
    }

    @Test("a same-origin post whose browser sends Origin: null (strict referrer settings) is accepted")
    func nullOrigin() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog("{}")
            let response = try await app.submit(
                "/f/consent-capture?sessionId=\(sessionId.rawValue)",
                fields,
                headers: [HTTPField.Name("Origin")!: "null"]
            )
            #expect(response.status == .seeOther)
        }
    }

    @Test("a token signed under a secret now in previousSecrets verifies, not once the secret leaves; new tokens use the current one")
    func signerRotation() {
        let old = Array("old-secret-0123456789-0123456789-abcdefgh".utf8)
        let current = Array("new-secret-0123456789-0123456789-abcdefgh".utf8)
        let now = Date()
        let token = FormTokenSigner(keys: SecretKeys(current: old), lifetime: .seconds(60)).token(sessionId: "s1", formId: "f1", issuedAt: now)
        let rotated = FormTokenSigner(keys: SecretKeys(current: current, previous: [old]), lifetime: .seconds(60))
        #expect(rotated.verify(token, sessionId: "s1", formId: "f1", now: now))
        #expect(!rotated.verify(token, sessionId: "s2", formId: "f1", now: now), "still bound to its session")
        #expect(!rotated.verify(token, sessionId: "s1", formId: "f1", now: now.addingTimeInterval(61)), "and to its lifetime")
        let dropped = FormTokenSigner(keys: SecretKeys(current: current), lifetime: .seconds(60))
        #expect(!dropped.verify(token, sessionId: "s1", formId: "f1", now: now))
        let fresh = rotated.token(sessionId: "s1", formId: "f1", issuedAt: now)
        #expect(dropped.verify(fresh, sessionId: "s1", formId: "f1", now: now), "signed with the current secret")
        #expect(!FormTokenSigner(keys: SecretKeys(current: old), lifetime: .seconds(60)).verify(fresh, sessionId: "s1", formId: "f1", now: now))
    }

    @Test("after a rotation the app takes a form rendered before it while the old secret is in security.previousSecrets")
    func rotatedSecret() async throws {
        let rotated = ["SECURITY_SECRET": "rotated-secret-0123456789-0123456789-xyz", "SECURITY_PREVIOUS_SECRETS": RouterTestApp.secret]
        let before = FormTokenSigner(keys: SecretKeys(current: Array(RouterTestApp.secret.utf8)), lifetime: .seconds(3600))
        try await RouterTestApp.run(overrides: rotated) { app in
            let sessionId = try await app.simulator.createDialog("{}")
            let token = before.token(sessionId: sessionId.rawValue, formId: "consent-capture")
            let response = try await app.post("/f/consent-capture?sessionId=\(sessionId.rawValue)", [("_token", token)] + fields)
            #expect(response.status == .seeOther)
        }
        try await RouterTestApp.run(overrides: ["SECURITY_SECRET": "rotated-secret-0123456789-0123456789-xyz"]) { app in
            let sessionId = try await app.simulator.createDialog("{}")
            let token = before.token(sessionId: sessionId.rawValue, formId: "consent-capture")
            try expectRefused(app, sessionId, try await app.post("/f/consent-capture?sessionId=\(sessionId.rawValue)", [("_token", token)] + fields))
        }
    }

    @Test("signs tokens that verify only for their session, form and lifetime")
    func signer() {
        let signer = FormTokenSigner(keys: SecretKeys(current: Array("k".utf8)), lifetime: .seconds(60))
        let now = Date()
        let token = signer.token(sessionId: "s1", formId: "f1", issuedAt: now)
        #expect(signer.verify(token, sessionId: "s1", formId: "f1", now: now))
        #expect(!signer.verify(token, sessionId: "s2", formId: "f1", now: now))
        #expect(!signer.verify(token, sessionId: "s1", formId: "f2", now: now))
        #expect(!signer.verify(token, sessionId: "s1", formId: "f1", now: now.addingTimeInterval(61)))
        #expect(!signer.verify(token + "x", sessionId: "s1", formId: "f1", now: now))
        #expect(!signer.verify("", sessionId: "s1", formId: "f1", now: now))
    }
}
