import Crypto
import Foundation
import Testing

@testable import App

@Suite("Signed links to files")
struct FileLinksTests {
    static let current = Array("links-secret-0123456789-0123456789-abcdefg".utf8)
    static let old = Array("old-links-secret-0123456789-0123456789-abcd".utf8)
    static let publicURL = URL(string: "https://forms.example.com")!
    static let id = "Ab3-_x9ZqK0vLm2nOp4rSt"
    static let week: Duration = .seconds(7 * 86400)
    /// TestDateClock.start plus a week, in seconds.
    static let exp = "1800604800"

    let links = FileLinks(keys: SecretKeys(current: current), publicURL: publicURL, basePath: "/forms", lifetime: week)
    let now = TestDateClock.start

    /// What the route hands the check: the path's id (decoded) and the query's exp and sig.
    struct Parts {
        var path: String
        var id: String
        var exp: String?
        var sig: String?
    }

    static func parts(_ link: String) throws -> Parts {
        let components = try #require(URLComponents(string: link))
        let items = components.queryItems ?? []
        #expect(items.map(\.name) == ["exp", "sig"])
        return Parts(
            path: components.path,
            id: try #require(components.path.split(separator: "/").last.map(String.init)),
            exp: items.first { $0.name == "exp" }?.value,
            sig: items.first { $0.name == "sig" }?.value
        )
    }

    /// HMAC-SHA256 over the label, id and exp, computed here apart from FileLinks.
    static func signature(id: String, exp: String, secret: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("file v1\u{1F}\(id)\u{1F}\(exp)".utf8), using: SymmetricKey(data: secret))
        return mac.withUnsafeBytes { Base64URL.encode($0) }
    }

    @Test("a link is the exact absolute URL of the route, with exp and an HMAC signature of its own label, id and exp")
    func exactLink() throws {
        let signature = Self.signature(id: Self.id, exp: Self.exp, secret: Self.current)
        #expect(signature.count == 43)
        #expect(links.link(id: Self.id, now: now) == "https://forms.example.com/forms/files/\(Self.id)?exp=\(Self.exp)&sig=\(signature)")
        // A publicURL with a trailing slash, one with a port, no basePath.
        let slash = FileLinks(
            keys: SecretKeys(current: Self.current),
            publicURL: URL(string: "https://forms.example.com/")!,
            basePath: "/forms",
            lifetime: Self.week
        )
        #expect(slash.link(id: Self.id, now: now) == "https://forms.example.com/forms/files/\(Self.id)?exp=\(Self.exp)&sig=\(signature)")
        let root = FileLinks(
            keys: SecretKeys(current: Self.current),
            publicURL: URL(string: "http://127.0.0.1:8080")!,
            basePath: "",
            lifetime: Self.week
        )
        #expect(root.link(id: Self.id, now: now) == "http://127.0.0.1:8080/files/\(Self.id)?exp=\(Self.exp)&sig=\(signature)")
        let parts = try Self.parts(links.link(id: Self.id, now: now))
        #expect(parts.path == "/forms/files/\(Self.id)")
        #expect(parts.id == Self.id)
    }

    @Test("the link from the configuration: http.publicURL and http.basePath as an operator writes them")
    func fromConfiguration() async throws {
        let config = try await AppConfig.load(environment: ["HTTP_PUBLIC_URL": "https://forms.example.com/", "HTTP_BASE_PATH": "/forms/"])
        let links = FileLinks(
            keys: SecretKeys(current: Self.current),
            publicURL: config.http.publicURL,
            basePath: config.http.basePath,
            lifetime: config.files.linkLifetime
        )
        #expect(links.link(id: Self.id, now: now).hasPrefix("https://forms.example.com/forms/files/\(Self.id)?exp=\(Self.exp)&sig="))
        #expect(links.link(id: Self.id, now: now).hasPrefix(config.http.absoluteURL("/files/\(Self.id)?")))
    }

    @Test("the expiry is now plus the lifetime in whole seconds, never longer")
    func expiry() throws {
        let later = now.addingTimeInterval(0.999)
        #expect(try Self.parts(links.link(id: Self.id, now: later)).exp == Self.exp)
        let hour = FileLinks(keys: SecretKeys(current: Self.current), publicURL: Self.publicURL, basePath: "", lifetime: .seconds(3600))
        #expect(try Self.parts(hour.link(id: Self.id, now: now)).exp == "1800003600")
    }

    @Test("a link checks as valid until its expiry, then as expired")
    func validThenExpired() throws {
        let parts = try Self.parts(links.link(id: Self.id, now: now))
        #expect(links.check(id: parts.id, exp: parts.exp, sig: parts.sig, now: now) == .valid)
        #expect(links.check(id: parts.id, exp: parts.exp, sig: parts.sig, now: now.addingTimeInterval(7 * 86400 - 0.001)) == .valid)
        #expect(links.check(id: parts.id, exp: parts.exp, sig: parts.sig, now: now.addingTimeInterval(7 * 86400)) == .expired)
        #expect(links.check(id: parts.id, exp: parts.exp, sig: parts.sig, now: now.addingTimeInterval(30 * 86400)) == .expired)
        #expect(links.check(id: parts.id, exp: parts.exp, sig: parts.sig, now: now.addingTimeInterval(-86400)) == .valid, "a clock behind is no harm")
    }

    @Test("another id, another or rewritten exp, or a changed, missing or malformed sig is forged")
    func tampered() throws {
        let parts = try Self.parts(links.link(id: Self.id, now: now))
        let sig = try #require(parts.sig)
        let exp = try #require(parts.exp)
        let otherId = try Self.parts(links.link(id: "Zb3-_x9ZqK0vLm2nOp4rSt", now: now))
        #expect(links.check(id: otherId.id, exp: exp, sig: sig, now: now) == .forged, "another file's id")
        #expect(links.check(id: Self.id, exp: otherId.exp, sig: otherId.sig, now: now) == .forged, "another file's signature")
        for id in ["Ab3-_x9ZqK0vLm2nOp4rSu", "ab3-_x9ZqK0vLm2nOp4rSt", Self.id + "x", String(Self.id.dropLast()), "", "\(Self.id)\u{1F}\(exp)"] {
            #expect(links.check(id: id, exp: exp, sig: sig, now: now) == .forged, "id \(id)")
        }
        for badExp in [
            String(Int(exp)! + 1), String(Int(exp)! + 86400 * 365), "0" + exp, "+" + exp, " " + exp, exp + " ", "-1", "", "1e9",
            "999999999999999999999",
        ] {
            #expect(links.check(id: Self.id, exp: badExp, sig: sig, now: now) == .forged, "exp \(badExp)")
        }
        var flipped = Array(sig)
        flipped[10] = flipped[10] == "A" ? "B" : "A"
        let base64 = sig.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        for badSig in [String(flipped), String(sig.dropLast()), sig + "A", sig + "=", "", "not base64!", String(repeating: "A", count: 43)]
            + (base64 == sig ? [] : [base64])
        {
            #expect(links.check(id: Self.id, exp: exp, sig: badSig, now: now) == .forged, "sig \(badSig)")
        }
        #expect(links.check(id: Self.id, exp: nil, sig: sig, now: now) == .forged)
        #expect(links.check(id: Self.id, exp: exp, sig: nil, now: now) == .forged)
        #expect(links.check(id: Self.id, exp: nil, sig: nil, now: now) == .forged)
    }

    @Test("a forged link is forged even when its exp has passed: the signature is checked first")
    func forgedWinsOverExpired() throws {
        let parts = try Self.parts(links.link(id: Self.id, now: now))
        let past = "1700000000"
        #expect(links.check(id: Self.id, exp: past, sig: parts.sig, now: now) == .forged)
        let late = now.addingTimeInterval(8 * 86400)
        #expect(links.check(id: "Zb3-_x9ZqK0vLm2nOp4rSt", exp: parts.exp, sig: parts.sig, now: late) == .forged)
        #expect(links.check(id: Self.id, exp: parts.exp, sig: "AAAA", now: late) == .forged)
        #expect(links.check(id: Self.id, exp: parts.exp, sig: parts.sig, now: late) == .expired)
    }

    @Test("a link signed under a previous secret checks after the rotation; under a secret no longer accepted it is forged")
    func rotation() throws {
        let before = FileLinks(keys: SecretKeys(current: Self.old), publicURL: Self.publicURL, basePath: "/forms", lifetime: Self.week)
        let oldLink = try Self.parts(before.link(id: Self.id, now: now))
        let rotated = FileLinks(
            keys: SecretKeys(current: Self.current, previous: [FileVaultTests.unknown, Self.old]),
            publicURL: Self.publicURL,
            basePath: "/forms",
            lifetime: Self.week
        )
        #expect(rotated.check(id: oldLink.id, exp: oldLink.exp, sig: oldLink.sig, now: now) == .valid)
        #expect(links.check(id: oldLink.id, exp: oldLink.exp, sig: oldLink.sig, now: now) == .forged, "the old secret retired")
        let newLink = try Self.parts(rotated.link(id: Self.id, now: now))
        #expect(newLink.sig == Self.signature(id: Self.id, exp: Self.exp, secret: Self.current), "new links use the current secret")
        #expect(links.check(id: newLink.id, exp: newLink.exp, sig: newLink.sig, now: now) == .valid)
    }

    @Test("neither a form token's nor a verification pass's signature over the same text is a link's")
    func labels() {
        let keys = SecretKeys(current: Self.current)
        let token = FormTokenSigner(keys: keys, lifetime: .seconds(3600)).token(sessionId: Self.id, formId: Self.exp, issuedAt: now)
        let pass = VerificationPass(keys: keys).value(sessionId: Self.id, formId: Self.exp, expiresAt: now.addingTimeInterval(3600))
        for value in [token, pass] {
            let sig = String(value.split(separator: ".")[1])
            #expect(links.check(id: Self.id, exp: Self.exp, sig: sig, now: now) == .forged)
        }
    }
}
