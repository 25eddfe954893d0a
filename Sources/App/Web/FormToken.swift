import Crypto
import Foundation

/// The signed token a form carries so that only a page this server rendered, for this session
/// and this form, recently, can submit it.
///
/// `issuedAt.signature`, where the signature is HMAC-SHA256 with `security.secret` over
/// version, sessionId, formId and issue time. Every instance that shares the secret accepts it, and
/// a token signed with a secret now in `security.previousSecrets` is still accepted.
struct FormTokenSigner: Sendable {
    /// The current secret's key first: it signs; all of them verify.
    private let keys: [SymmetricKey]
    let lifetime: Duration

    /// Tokens from a clock a little ahead of ours (another instance) are still accepted.
    private static let allowedSkew: TimeInterval = 60

    init(keys: SecretKeys, lifetime: Duration) {
        self.keys = keys.all.map { SymmetricKey(data: $0) }
        self.lifetime = lifetime
    }

    func token(sessionId: String, formId: String, issuedAt: Date = Date()) -> String {
        let seconds = Int64(issuedAt.timeIntervalSince1970)
        let mac = HMAC<SHA256>.authenticationCode(for: message(sessionId, formId, seconds), using: keys[0])
        return "\(seconds).\(mac.withUnsafeBytes { Base64URL.encode($0) })"
    }

    /// True when the token was issued by us for this session and form and has not expired.
    func verify(_ token: String, sessionId: String, formId: String, now: Date = Date()) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let seconds = Int64(parts[0]), let mac = Base64URL.decode(parts[1]) else {
            return false
        }
        let age = now.timeIntervalSince1970 - TimeInterval(seconds)
        guard age >= -Self.allowedSkew, age <= TimeInterval(lifetime.components.seconds) else { return false }
        // Constant-time comparison: HMAC's own validation, with each accepted secret in turn.
        let signed = message(sessionId, formId, seconds)
        return keys.contains { HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: $0) }
    }

    private func message(_ sessionId: String, _ formId: String, _ issuedAt: Int64) -> Data {
        // Unit separators keep ("a", "bc") and ("ab", "c") apart.
        Data("v1\u{1F}\(sessionId)\u{1F}\(formId)\u{1F}\(issuedAt)".utf8)
    }
}
