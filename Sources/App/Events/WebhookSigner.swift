import Crypto
import Foundation

/// Signs webhooks the way the Standard Webhooks specification says
/// (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md):
/// `v1,` + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")), where the key is
/// the base64-decoded part of a `whsec_…` secret.
///
/// Checked against the specification's published vector (`WebhookSignerTests`).
public struct WebhookSigner: Sendable {
    /// The prefix the specification gives symmetric secrets.
    public static let secretPrefix = "whsec_"
    /// The specification's lower bound for a symmetric key: 192 bits.
    public static let minimumKeyBytes = 24

    let key: SymmetricKey

    /// The signer for a `whsec_…` secret, or nil when ``problem(with:)`` has something to say.
    public init?(secret: String) {
        guard Self.problem(with: secret) == nil, let bytes = Self.keyBytes(of: secret) else { return nil }
        key = SymmetricKey(data: bytes)
    }

    /// Why `secret` is not a usable `whsec_` key, as the end of a problem line; never its value.
    public static func problem(with secret: String) -> String? {
        guard secret.hasPrefix(secretPrefix) else {
            return "does not start with whsec_; expected whsec_ followed by the base64 of at least \(minimumKeyBytes) random bytes"
        }
        guard let bytes = keyBytes(of: secret) else {
            return "is not whsec_ followed by base64; expected whsec_ followed by the base64 of at least \(minimumKeyBytes) random bytes"
        }
        if bytes.count < minimumKeyBytes {
            return "is too short (\(bytes.count) bytes); expected whsec_ followed by the base64 of at least \(minimumKeyBytes) random bytes"
        }
        return nil
    }

    /// The decoded key; the padding may be left out, as some generators do.
    private static func keyBytes(of secret: String) -> Data? {
        guard secret.hasPrefix(secretPrefix) else { return nil }
        var encoded = String(secret.dropFirst(secretPrefix.count))
        guard !encoded.isEmpty else { return nil }
        if encoded.count % 4 != 0 { encoded += String(repeating: "=", count: 4 - encoded.count % 4) }
        return Data(base64Encoded: encoded)
    }

    /// The `webhook-signature` value for one attempt: `v1,<base64>`.
    public func signature(id: String, timestamp: Int, body: String) -> String {
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(contentsOf: body.utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: key)
        return "v1," + Data(mac).base64EncodedString()
    }
}
