/// `security.*`: the key that signs form tokens and verification passes and seals drafts, shared by
/// every instance, the previous keys still accepted, and who may frame the pages.
public struct SecuritySettings: Sendable {
    public var secret: [UInt8]
    /// `security.previousSecrets`: secrets replaced by ``secret`` whose tokens, passes and drafts are
    /// still accepted (a rotation without logging everyone out). Nothing new is made with them.
    public var previousSecrets: [[UInt8]]
    public var formTokenLifetime: Duration
    /// Who may frame the pages (CSP `frame-ancestors`): `'none'`, or the agent desktop's origins.
    public var frameAncestors: String

    init(_ values: inout ConfigValues, mode: AlvariaSettings.Mode) {
        if let text = values.string("security.secret", secret: true) {
            if let problem = Self.problem(with: text) {
                values.problem("security.secret", problem)
            }
            secret = Array(text.utf8)
        } else {
            if mode == .live {
                values.problem("security.secret", "is missing; required when alvaria.mode is live (the same value on every instance)")
            }
            var generator = SystemRandomNumberGenerator()
            secret = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        }
        // Checked like security.secret, each named by its place in the list: never by its value.
        let previous = values.list("security.previousSecrets", secret: true, default: [])
        for (index, text) in previous.enumerated() {
            if let problem = Self.problem(with: text) {
                values.problem("security.previousSecrets", "entry \(index + 1) of \(previous.count) \(problem)")
            }
        }
        previousSecrets = previous.map { Array($0.utf8) }
        formTokenLifetime = values.duration("security.formTokenLifetime", default: .seconds(4 * 3600), minimum: .seconds(60))
        frameAncestors = values.string("security.frameAncestors", default: "'none'")
        if frameAncestors.contains(";") || frameAncestors.contains(",") {
            values.problem("security.frameAncestors", "\"\(frameAncestors)\" is not valid; expected 'none', 'self' or origins separated by spaces")
        }
    }

    /// The current secret and the previous ones: what signers, checks and sealers are made with.
    public var keys: SecretKeys { SecretKeys(current: secret, previous: previousSecrets) }

    /// Why `secret` cannot be a key (too short, or guessable), as the end of a problem line; never its value.
    static func problem(with secret: String) -> String? {
        if secret.utf8.count < 32 {
            return "is too short; expected at least 32 characters of random text"
        }
        if let weakness = weakness(of: secret) {
            return "\(weakness), not random text; generate one, e.g. with openssl rand -hex 32"
        }
        return nil
    }

    /// Why a secret long enough is still guessable: too few different characters, or one short
    /// sequence repeated (`aaaa…`, `abab…`, `0123456789abcdef0123456789abcdef`). Never its value.
    static func weakness(of secret: String) -> String? {
        let scalars = Array(secret.unicodeScalars)
        if Set(scalars).count < 8 { return "has fewer than 8 different characters" }
        for period in 1...(scalars.count / 2) where scalars.count % period == 0 {
            if scalars.indices.allSatisfy({ scalars[$0] == scalars[$0 % period] }) { return "repeats one short sequence" }
        }
        return nil
    }
}
