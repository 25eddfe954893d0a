import Crypto
import Foundation

/// Encrypts what the app keeps at rest for a session (drafts, uploaded files: ``FileVault``) so that the
/// database alone reveals nothing: AES-256-GCM, with keys derived by HKDF-SHA256 from
/// `security.secret` and, to open older boxes after a rotation, `security.previousSecrets`.
///
/// The sessionId is the associated data: a box copied into another session's row does not open.
/// A box is one version byte, then AES-GCM's combined form (12-byte random nonce, ciphertext,
/// 16-byte tag). Each purpose (`drafts`, `files`) has keys of its own, so a box made for one never
/// opens as the other. Nothing here logs or throws with what a box holds.
struct Sealer: Sendable {
    /// The first byte of every box: the format and key derivation below. Another one is refused.
    static let version: UInt8 = 1
    /// HKDF's salt: fixed, naming the app (the secrets are the input key material).
    private static let salt = Data("disposable-app sealer".utf8)
    /// Version byte, nonce and tag: no box is shorter.
    private static let overhead = 1 + 12 + 16

    /// The current secret's key first: it seals, and opens first.
    private let keys: [SymmetricKey]

    /// - Parameter purpose: HKDF info label, e.g. "drafts" or "files": keys for different purposes
    ///   differ.
    init(secrets: SecretKeys, purpose: String) {
        let info = Data("disposable-app \(purpose) v1".utf8)
        keys = secrets.all.map { secret in
            HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: secret), salt: Self.salt, info: info, outputByteCount: 32)
        }
    }

    /// Seals `plaintext` for `sessionId` under the current secret, with a fresh random nonce.
    func seal(_ plaintext: some DataProtocol, sessionId: String) -> [UInt8] {
        let box: AES.GCM.SealedBox
        do {
            box = try AES.GCM.seal(plaintext, using: keys[0], authenticating: Data(sessionId.utf8))
        } catch {
            // Only a key or nonce of the wrong size fails, and both are fixed here.
            preconditionFailure("AES-GCM could not seal with a 256-bit key and a 12-byte nonce")
        }
        guard let combined = box.combined else {
            preconditionFailure("AES-GCM's box with a 12-byte nonce has a combined form")
        }
        return [Self.version] + Array(combined)
    }

    /// What `sealed` holds, or nil when it was tampered with, sealed for another session or
    /// purpose, sealed under a secret no longer accepted, or is no box at all (empty, short, an
    /// unknown version). Tries the current secret's key, then the previous ones'.
    func open(_ sealed: [UInt8], sessionId: String) -> [UInt8]? {
        guard sealed.count >= Self.overhead, sealed[0] == Self.version,
            let box = try? AES.GCM.SealedBox(combined: Data(sealed.dropFirst()))
        else { return nil }
        let associated = Data(sessionId.utf8)
        for key in keys {
            if let plaintext = try? AES.GCM.open(box, using: key, authenticating: associated) {
                return Array(plaintext)
            }
        }
        return nil
    }
}

extension Sealer {
    /// The draft as JSON, sealed for `sessionId`.
    func seal(_ draft: Draft, sessionId: String) -> [UInt8] {
        let json: Data
        do {
            json = try JSONEncoder().encode(draft)
        } catch {
            // Strings, arrays and dictionaries of strings always encode.
            preconditionFailure("a draft could not be encoded as JSON")
        }
        return seal(json, sessionId: sessionId)
    }

    /// The draft `sealed` holds; nil when it does not open for `sessionId` (see
    /// ``open(_:sessionId:)``) or does not hold a draft.
    func openDraft(_ sealed: [UInt8], sessionId: String) -> Draft? {
        guard let json = open(sealed, sessionId: sessionId) else { return nil }
        return try? JSONDecoder().decode(Draft.self, from: Data(json))
    }
}
