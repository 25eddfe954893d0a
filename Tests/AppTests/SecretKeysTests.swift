import Testing

@testable import App

@Suite("The secrets' keys")
struct SecretKeysTests {
    @Test("never print a secret: description, debug description and dump say how many, not what")
    func redacted() {
        let keys = SecretKeys(current: Array("current-SECRET-0123456789".utf8), previous: [Array("previous-SECRET-0123456789".utf8)])
        var dumped = ""
        dump(keys, to: &dumped)
        for text in [keys.description, keys.debugDescription, "\(keys)", String(reflecting: keys), dumped] {
            #expect(!text.contains("SECRET"), "\(text)")
            #expect(!text.contains("99"), "no bytes either: \(text)")
        }
        #expect(keys.description == "SecretKeys(current: <redacted>, previous: 1 <redacted>)")
        #expect(keys.all == [keys.current] + keys.previous)
    }
}
