import Crypto
import Forms
import Foundation

/// The signed token a form carries so that only a page this server rendered, for this session
/// and this form, recently, can submit it; it also names the version of the form the page showed,
/// so that the submit is checked against that version even after a reload changed the form.
///
/// `issuedAt.version.signature`, where the signature is HMAC-SHA256 with `security.secret` over
/// the format, sessionId, formId, version and issue time. Every instance that shares the secret
/// accepts it, and a token signed with a secret now in `security.previousSecrets` is still
/// accepted. A token of the earlier form, `issuedAt.signature` (no version), from a page served
/// before an upgrade, is accepted as naming no version: the current one serves it.
struct FormTokenSigner: Sendable {
    /// What a valid token says besides being valid.
    struct Signed: Sendable, Equatable {
        /// The form's version when the page was rendered; `nil` for a token of the earlier form.
        let version: String?
    }

    /// The current secret's key first: it signs; all of them verify.
    private let keys: [SymmetricKey]
    let lifetime: Duration

    /// Tokens from a clock a little ahead of ours (another instance) are still accepted.
    private static let allowedSkew: TimeInterval = 60

    init(keys: SecretKeys, lifetime: Duration) {
        self.keys = keys.all.map { SymmetricKey(data: $0) }
        self.lifetime = lifetime
    }

    /// - Parameter version: the form's ``FormDefinition/version``: 12 hex digits, or empty for a
    ///   form built in code.
    func token(sessionId: String, formId: String, version: String = "", issuedAt: Date = Date()) -> String {
        let seconds = Int64(issuedAt.timeIntervalSince1970)
        let mac = HMAC<SHA256>.authenticationCode(for: message(sessionId, formId, version, seconds), using: keys[0])
        return "\(seconds).\(version).\(mac.withUnsafeBytes { Base64URL.encode($0) })"
    }

    /// What the token says, when it was issued by us for this session and form and has not expired.
    func check(_ token: String, sessionId: String, formId: String, now: Date = Date()) -> Signed? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let seconds = Int64(parts[0]), let mac = parts.last.flatMap(Base64URL.decode) else {
            return nil
        }
        let version = parts.count == 3 ? parts[1] : nil
        if let version, !version.isEmpty, !FormVersion.isWellFormed(version) { return nil }
        let age = now.timeIntervalSince1970 - TimeInterval(seconds)
        guard age >= -Self.allowedSkew, age <= TimeInterval(lifetime.components.seconds) else { return nil }
        // Constant-time comparison: HMAC's own validation, with each accepted secret in turn.
        let signed = version.map { message(sessionId, formId, String($0), seconds) } ?? unversionedMessage(sessionId, formId, seconds)
        guard keys.contains(where: { HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: $0) }) else { return nil }
        return Signed(version: version.map(String.init))
    }

    /// True when ``check(_:sessionId:formId:now:)`` accepts the token.
    func verify(_ token: String, sessionId: String, formId: String, now: Date = Date()) -> Bool {
        check(token, sessionId: sessionId, formId: formId, now: now) != nil
    }

    private func message(_ sessionId: String, _ formId: String, _ version: String, _ issuedAt: Int64) -> Data {
        // Unit separators keep ("a", "bc") and ("ab", "c") apart; "v2" keeps it apart from the
        // earlier form's message.
        Data("v2\u{1F}\(sessionId)\u{1F}\(formId)\u{1F}\(version)\u{1F}\(issuedAt)".utf8)
    }

    private func unversionedMessage(_ sessionId: String, _ formId: String, _ issuedAt: Int64) -> Data {
        Data("v1\u{1F}\(sessionId)\u{1F}\(formId)\u{1F}\(issuedAt)".utf8)
    }
}
