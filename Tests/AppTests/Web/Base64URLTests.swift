import Foundation
import PropertyBased
import Testing

@testable import App

@Suite("Base64url of form tokens")
struct Base64URLTests {
    static let bytes = Gen.int(in: 0...255).map { UInt8($0) }.array(of: 0...70)

    @Test("encodes as Foundation's base64 with the URL alphabet and no padding, and decodes back")
    func roundTrip() async {
        await propertyCheck(count: 2_000, input: Self.bytes) { bytes in
            let encoded = bytes.withUnsafeBytes { Base64URL.encode($0) }
            let foundation = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(encoded == foundation)
            #expect(Base64URL.decode(Substring(encoded)) == Data(bytes))
        }
    }

    @Test("refuses what is not unpadded base64url", arguments: ["a", "ab=c", "a+b/", "AB==", "ab!d", "AF"])
    func refuses(text: String) {
        #expect(Base64URL.decode(Substring(text)) == nil)
    }
}
