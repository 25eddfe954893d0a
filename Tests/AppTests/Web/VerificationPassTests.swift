import Foundation
import Testing

@testable import App

@Suite("The verification pass")
struct VerificationPassTests {
    let passes = VerificationPass(keys: SecretKeys(current: Array("pass-secret-0123456789-0123456789-abcdef".utf8)))
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("is valid for its session and form until it expires, and for nothing else")
    func scope() {
        let value = passes.value(sessionId: "S-1", formId: "contact-details", expiresAt: now.addingTimeInterval(1800))
        #expect(passes.isValid(value, sessionId: "S-1", formId: "contact-details", now: now))
        #expect(passes.isValid(value, sessionId: "S-1", formId: "contact-details", now: now.addingTimeInterval(1799)))
        #expect(!passes.isValid(value, sessionId: "S-1", formId: "contact-details", now: now.addingTimeInterval(1800)))
        #expect(!passes.isValid(value, sessionId: "S-2", formId: "contact-details", now: now))
        #expect(!passes.isValid(value, sessionId: "S-1", formId: "address-update", now: now))
        #expect(!passes.isValid(nil, sessionId: "S-1", formId: "contact-details", now: now))
        let other = VerificationPass(keys: SecretKeys(current: Array("another-secret-0123456789-0123456789-xyz".utf8)))
        #expect(!other.isValid(value, sessionId: "S-1", formId: "contact-details", now: now))
    }

    @Test("a form token is not a pass, nor a pass with its expiry changed")
    func forgeries() {
        let secret = Array("pass-secret-0123456789-0123456789-abcdef".utf8)
        let token = FormTokenSigner(keys: SecretKeys(current: secret), lifetime: .seconds(3600)).token(
            sessionId: "S-1",
            formId: "contact-details",
            issuedAt: now
        )
        #expect(!passes.isValid(token, sessionId: "S-1", formId: "contact-details", now: now.addingTimeInterval(-10)))
        let value = passes.value(sessionId: "S-1", formId: "contact-details", expiresAt: now.addingTimeInterval(60))
        let signature = value.split(separator: ".")[1]
        #expect(!passes.isValid("\(Int(now.timeIntervalSince1970) + 99_999).\(signature)", sessionId: "S-1", formId: "contact-details", now: now))
        for garbage in ["", ".", "abc", "1.2.3", "\(Int(now.timeIntervalSince1970) + 60).", "x.\(signature)"] {
            #expect(!passes.isValid(garbage, sessionId: "S-1", formId: "contact-details", now: now))
        }
    }

    @Test("a pass signed under a secret now in previousSecrets is still valid, not once the secret leaves; new passes use the current one")
    func rotation() {
        let old = Array("pass-secret-0123456789-0123456789-abcdef".utf8)
        let current = Array("rotated-secret-0123456789-0123456789-xyz".utf8)
        let value = passes.value(sessionId: "S-1", formId: "contact-details", expiresAt: now.addingTimeInterval(1800))
        let rotated = VerificationPass(keys: SecretKeys(current: current, previous: [old]))
        #expect(rotated.isValid(value, sessionId: "S-1", formId: "contact-details", now: now))
        #expect(!rotated.isValid(value, sessionId: "S-2", formId: "contact-details", now: now), "still bound to its session")
        let dropped = VerificationPass(keys: SecretKeys(current: current))
        #expect(!dropped.isValid(value, sessionId: "S-1", formId: "contact-details", now: now))
        let fresh = rotated.value(sessionId: "S-1", formId: "contact-details", expiresAt: now.addingTimeInterval(1800))
        #expect(dropped.isValid(fresh, sessionId: "S-1", formId: "contact-details", now: now), "signed with the current secret")
        #expect(!passes.isValid(fresh, sessionId: "S-1", formId: "contact-details", now: now), "not with the old one")
    }

    @Test("its cookie's name is one per session and does not carry the sessionId")
    func cookieName() {
        let name = VerificationPass.cookieName(sessionId: "abc:123")
        #expect(name == VerificationPass.cookieName(sessionId: "abc:123"))
        #expect(name != VerificationPass.cookieName(sessionId: "abc:124"))
        #expect(!name.contains("abc"))
        #expect(name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" })
    }
}

@Suite("Finding a preview agent in a User-Agent")
struct UserAgentMatcherTests {
    let matcher = UserAgentMatcher(PreviewSettings.builtInAgents + ["ScannerBot"])

    @Test("finds each name anywhere, whatever its case, and nothing in a browser's")
    func matches() {
        #expect(matcher.match("WhatsApp/2.23.20.0 A") == "WhatsApp")
        #expect(matcher.match("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)") == "facebookexternalhit")
        #expect(matcher.match("Mozilla/5.0 (compatible; DISCORDBOT/2.0; +https://discordapp.com)") == "Discordbot")
        #expect(matcher.match("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)") == "Slackbot")
        #expect(matcher.match("x scannerbot") == "ScannerBot")
        #expect(matcher.match("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile Safari/604.1") == nil)
        #expect(matcher.match("") == nil)
        #expect(matcher.match("WhatsAp") == nil)
        #expect(matcher.match("Ünïcødé TelegramBot") == "TelegramBot")
    }
}
