import Forms
import Foundation
import PropertyBased
import Testing

@testable import App

/// A long property-based run (bounded to a few seconds) over what parses untrusted text: the
/// form body decoder and the context parser must never crash, and encoding round-trips.
@Suite("Fuzzing the body decoder and the context parser")
struct URLEncodedFormFuzzTests {
    /// Pieces that matter to the formats (separators, escapes, quotes, braces, broken escapes)
    /// and a few beyond ASCII, so that random text often reaches the interesting paths.
    static let pool: [String] =
        Array("aZ09 &=+%;#?/\\\"'{}[]:,.-_~\n\t\u{0}é€😀\u{FEFF}").map(String.init)
        + ["%2", "%zz", "%C3", "%FF", "%2e%2e", "true", "null", "1e999", "\"form\":", "{\"lang\":\"es\"}"]
    static let piece = Gen.int(in: 0...(pool.count - 1)).map { pool[$0] }
    static let text = piece.array(of: 0...60).map { $0.joined() }
    static let bytes = Gen.int(in: 0...255).map { UInt8($0) }.array(of: 0...80)
    /// Up to 8 pairs of up to 12 pieces each (a missing value reads as "").
    static let pairs = piece.array(of: 0...12).map { $0.joined() }.array(of: 0...2).array(of: 0...8)

    @Test("any text or bytes given to the body decoder are decoded or refused, never a crash")
    func decoderNeverCrashes() async {
        await propertyCheck(count: 20_000, input: Self.text) { text in
            _ = try? URLEncodedForm.decode(text)
        }
        await propertyCheck(count: 20_000, input: Self.bytes) { bytes in
            _ = try? URLEncodedForm.decode(bytes: bytes)
        }
    }

    @Test("decoding what a browser encodes gives back exactly the pairs, in order")
    func roundTrip() async {
        await propertyCheck(count: 5_000, input: Self.pairs) { generated in
            let pairs = generated.map { ($0.first ?? "", $0.dropFirst().first ?? "") }
            let decoded = (try? URLEncodedForm.decode(TestApp.encode(pairs))) ?? [("decoding", "failed")]
            #expect(decoded.map(\.0) == pairs.map(\.0))
            #expect(decoded.map(\.1) == pairs.map(\.1))
        }
    }

    @Test("any context content, JSON-like or not, gives a usable context, never a crash")
    func contextParserNeverCrashes() async {
        await propertyCheck(count: 20_000, input: Self.text) { text in
            for content in [text, "{\"form\":\(text)}", "{\"a\":{\"b\":[\(text)]}}", "{\(text)}"] {
                let context = FormContext(content: content)
                _ = context.formId
                _ = context.language
                _ = context.value(at: "context.a.b.0")
                _ = context.value(at: "context.text")
            }
        }
    }
}
