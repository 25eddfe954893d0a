import Foundation
import Testing

@testable import App

@Suite("The webhook signer")
struct WebhookSignerTests {
    /// Published with the specification's reference libraries (standard-webhooks/standard-webhooks:
    /// libraries/go/webhook_test.go TestWebhookSign, libraries/rust/src/lib.rs test_sign).
    struct Vector: Sendable, CustomTestStringConvertible {
        let secret: String
        let id: String
        let timestamp: Int
        let body: String
        let signature: String
        var testDescription: String { id }
    }

    static let vectors = [
        Vector(
            secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
            timestamp: 1_614_265_330,
            body: #"{"test": 2432232314}"#,
            signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        ),
        Vector(
            secret: "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
            id: "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
            timestamp: 1_649_367_553,
            body: #"{"email":"test@example.com","username":"test_user"}"#,
            signature: "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw="
        ),
    ]

    @Test("signs the specification's published vectors exactly", arguments: vectors)
    func publishedVectors(_ vector: Vector) throws {
        let signer = try #require(WebhookSigner(secret: vector.secret))
        #expect(signer.signature(id: vector.id, timestamp: vector.timestamp, body: vector.body) == vector.signature)
    }

    @Test("any change to the id, the timestamp or the body changes the signature")
    func coversEveryPart() throws {
        let vector = Self.vectors[0]
        let signer = try #require(WebhookSigner(secret: vector.secret))
        #expect(signer.signature(id: vector.id + "x", timestamp: vector.timestamp, body: vector.body) != vector.signature)
        #expect(signer.signature(id: vector.id, timestamp: vector.timestamp + 1, body: vector.body) != vector.signature)
        #expect(signer.signature(id: vector.id, timestamp: vector.timestamp, body: vector.body + " ") != vector.signature)
    }

    @Test(
        "refuses secrets that are not whsec_ and the base64 of at least 24 bytes, never repeating them",
        arguments: [
            ("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "does not start with whsec_"),
            ("whsec_", "is not whsec_ followed by base64"),
            ("whsec_not*base64!", "is not whsec_ followed by base64"),
            ("whsec_" + Data(count: 23).base64EncodedString(), "is too short (23 bytes)"),
        ]
    )
    func refusesBadSecrets(_ secret: String, _ problem: String) throws {
        let found = try #require(WebhookSigner.problem(with: secret))
        #expect(found.hasPrefix(problem))
        #expect(WebhookSigner(secret: secret) == nil)
        if secret.count > 8 { #expect(!found.contains(secret.dropFirst(6))) }
    }

    @Test("takes a secret without its base64 padding as with it")
    func unpaddedSecret() throws {
        let padded = "whsec_" + Data((1...25).map { UInt8($0) }).base64EncodedString()
        #expect(padded.hasSuffix("="))
        let unpadded = String(padded.drop { $0 != "_" }.dropFirst().reversed().drop { $0 == "=" }.reversed())
        let a = try #require(WebhookSigner(secret: padded))
        let b = try #require(WebhookSigner(secret: "whsec_" + unpadded))
        #expect(a.signature(id: "msg_1", timestamp: 1, body: "{}") == b.signature(id: "msg_1", timestamp: 1, body: "{}"))
    }
}
