/// `security.*`: the key that signs form tokens, shared by every instance, and who may frame the pages.
public struct SecuritySettings: Sendable {
    public var secret: [UInt8]
    public var formTokenLifetime: Duration
    /// Who may frame the pages (CSP `frame-ancestors`): `'none'`, or the agent desktop's origins.
    public var frameAncestors: String

    init(_ values: inout ConfigValues, mode: AlvariaSettings.Mode) {
        if let text = values.string("security.secret", secret: true) {
            if text.utf8.count < 32 {
                values.problem("security.secret", "is too short; expected at least 32 characters of random text")
            } else if let weakness = Self.weakness(of: text) {
                values.problem("security.secret", "\(weakness), not random text; generate one, e.g. with openssl rand -hex 32")
            }
            secret = Array(text.utf8)
        } else {
            if mode == .live {
                values.problem("security.secret", "is missing; required when alvaria.mode is live (the same value on every instance)")
            }
            var generator = SystemRandomNumberGenerator()
            secret = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        }
        formTokenLifetime = values.duration("security.formTokenLifetime", default: .seconds(4 * 3600), minimum: .seconds(60))
        frameAncestors = values.string("security.frameAncestors", default: "'none'")
        if frameAncestors.contains(";") || frameAncestors.contains(",") {
            values.problem("security.frameAncestors", "\"\(frameAncestors)\" is not valid; expected 'none', 'self' or origins separated by spaces")
        }
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
