import Crypto
import Foundation

/// The proof that this browser answered a session's verification: the value of a cookie the
/// form page and the submit require.
///
/// `expiresAt.signature`, where the signature is HMAC-SHA256 with `security.secret` over a label of
/// its own (so that no form token is ever a pass, nor the other way round), the sessionId, the form
/// and the expiry. Every instance that shares the secret accepts it (and a pass signed with a secret
/// now in `security.previousSecrets`); another browser has none.
struct VerificationPass: Sendable {
    /// The current secret's key first: it signs; all of them check.
    private let keys: [SymmetricKey]

    init(keys: SecretKeys) {
        self.keys = keys.all.map { SymmetricKey(data: $0) }
    }

    /// The cookie's name for a session (``SessionCookie``).
    static func cookieName(sessionId: String) -> String {
        SessionCookie.name("verified_", sessionId: sessionId)
    }

    func value(sessionId: String, formId: String, expiresAt: Date) -> String {
        let seconds = Int64(expiresAt.timeIntervalSince1970.rounded(.up))
        let mac = HMAC<SHA256>.authenticationCode(for: message(sessionId, formId, seconds), using: keys[0])
        return "\(seconds).\(mac.withUnsafeBytes { Base64URL.encode($0) })"
    }

    /// True when we issued the pass for this session and form and it has not expired.
    func isValid(_ value: String?, sessionId: String, formId: String, now: Date = Date()) -> Bool {
        guard let value else { return false }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let seconds = Int64(parts[0]), let mac = Base64URL.decode(parts[1]),
            now.timeIntervalSince1970 < TimeInterval(seconds)
        else { return false }
        // Constant-time: HMAC's own validation, with each accepted secret in turn.
        let signed = message(sessionId, formId, seconds)
        return keys.contains { HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: $0) }
    }

    private func message(_ sessionId: String, _ formId: String, _ expiresAt: Int64) -> Data {
        Data("verified-v1\u{1F}\(sessionId)\u{1F}\(formId)\u{1F}\(expiresAt)".utf8)
    }
}
