import Crypto
import Foundation

/// The signed links an outcome carries to its files: absolute, valid for `files.linkLifetime`, and
/// checked by whichever instance serves them.
///
/// `{http.publicURL}{basePath}/files/{id}?exp={unix seconds}&sig={signature}`, where the signature
/// is HMAC-SHA256 with `security.secret` over a label of its own (`file v1`, so that no form token
/// or verification pass is ever a link, nor the other way round), the id and the expiry exactly as
/// written in the link, base64url without padding. A link signed with a secret now in
/// `security.previousSecrets` still checks.
struct FileLinks: Sendable {
    /// The current secret's key first: it signs; all of them check.
    private let keys: [SymmetricKey]
    /// Where people reach the app (`http.publicURL`).
    private let origin: PublicOrigin
    private let basePath: String
    let lifetime: Duration

    init(keys: SecretKeys, origin: PublicOrigin, basePath: String, lifetime: Duration) {
        self.keys = keys.all.map { SymmetricKey(data: $0) }
        self.origin = origin
        self.basePath = basePath
        self.lifetime = lifetime
    }

    init(keys: SecretKeys, publicURL: URL, basePath: String, lifetime: Duration) {
        self.init(keys: keys, origin: PublicOrigin(fixed: publicURL), basePath: basePath, lifetime: lifetime)
    }

    /// `{publicURL}{basePath}/files/{id}?exp={unix seconds}&sig={base64url HMAC-SHA256}`; HMAC over a label of its own ("file v1"), id and exp with the current secret.
    ///
    /// The expiry is `now` plus the lifetime, in whole seconds (rounded down: never longer).
    func link(id: String, now: Date) -> String {
        let exp = String(Int64((now.timeIntervalSince1970 + lifetime.inSeconds).rounded(.down)))
        let mac = HMAC<SHA256>.authenticationCode(for: message(id: id, exp: exp), using: keys[0])
        // The route `{basePath}/files/{id}` as people reach it: `https://host/forms/files/`.
        let prefix = HTTPSettings.absoluteURL("/files/", publicURL: origin.current, basePath: basePath)
        return "\(prefix)\(PercentEncoding.encode(id))?exp=\(exp)&sig=\(mac.withUnsafeBytes { Base64URL.encode($0) })"
    }

    /// What a link's check found.
    enum Check: Sendable, Equatable {
        /// Signed by us for this id and expiry, and not expired.
        case valid
        /// Not signed by us for this id and expiry (or a part is missing or malformed): 403.
        case forged
        /// Signed by us, but its expiry has passed: 410.
        case expired
    }

    /// Accepts a signature made under any of the keys (rotation); checks the signature first (constant time, HMAC's own validation), then the expiry: a forged link is `.forged` even when its exp has passed.
    ///
    /// - Parameters:
    ///   - id: the route's `{id}`, decoded.
    ///   - exp: the `exp` query value, as sent: signed as written, so `0123` for `123` is forged.
    ///   - sig: the `sig` query value.
    func check(id: String, exp: String?, sig: String?, now: Date) -> Check {
        guard let exp, let sig, !exp.isEmpty, exp.utf8.count <= 18, exp.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let mac = Base64URL.decode(Substring(sig))
        else { return .forged }
        let signed = message(id: id, exp: exp)
        guard keys.contains(where: { HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: $0) }) else {
            return .forged
        }
        guard let seconds = Int64(exp), now.timeIntervalSince1970 < TimeInterval(seconds) else { return .expired }
        return .valid
    }

    private func message(id: String, exp: String) -> Data {
        // exp is digits only, so the last unit separator is where the id ends, whatever the id holds.
        Data("file v1\u{1F}\(id)\u{1F}\(exp)".utf8)
    }
}
