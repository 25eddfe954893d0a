import Forms
import Foundation
import PropertyBased
import Testing

@testable import App

/// A long property-based run (bounded to a few seconds) over what parses untrusted text: the
/// form body decoder agrees with Foundation and keeps its bound, the context parser tells a
/// JSON object from text, and encoding round-trips.
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

    @Test("any text or bytes given to the body decoder decode as Foundation reads them, or are refused as malformed")
    func decoderAgreesWithFoundation() async {
        await propertyCheck(count: 20_000, input: Self.text) { text in
            Self.expectDecodedLikeFoundation(text)
        }
        await propertyCheck(count: 20_000, input: Self.bytes) { bytes in
            guard let text = String(validating: bytes, as: UTF8.self) else {
                #expect(throws: URLEncodedForm.MalformedError.self) { try URLEncodedForm.decode(bytes: bytes) }
                return
            }
            Self.expectDecodedLikeFoundation(text)
        }
    }

    /// The oracle: Foundation's own percent-decoding of each name and value (`+` read as a space
    /// first), which gives nil for a broken escape. Where it differs on purpose: Foundation puts
    /// U+FFFD for bytes that are not UTF-8, which the decoder refuses, and drops a leading byte
    /// order mark, which the decoder keeps as typed.
    static func expectDecodedLikeFoundation(_ text: String) {
        let expected = text.split(separator: "&").map { item -> (String?, String?) in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (Self.foundationDecode(parts[0]), parts.count > 1 ? Self.foundationDecode(parts[1]) : "")
        }
        if expected.contains(where: { $0.0 == nil || $0.1 == nil }) {
            #expect(throws: URLEncodedForm.MalformedError.self) { try URLEncodedForm.decode(text) }
        } else {
            let decoded = try? URLEncodedForm.decode(text)
            #expect(decoded?.map(\.0) == expected.map(\.0))
            #expect(decoded?.map(\.1) == expected.map(\.1))
        }
    }

    static func foundationDecode(_ part: Substring) -> String? {
        let bom = "\u{FEFF}"
        if part.hasPrefix(bom) { return foundationDecode(part.dropFirst()).map { bom + $0 } }
        // `+` to a space scalar by scalar: as a Character, a `+` followed by a combining mark is
        // not a `+`, and String's replacing would leave it.
        let spaced = String(String.UnicodeScalarView(part.unicodeScalars.map { $0 == "+" ? " " : $0 }))
        guard let decoded = spaced.removingPercentEncoding else { return nil }
        return decoded.contains("\u{FFFD}") && !part.contains("\u{FFFD}") ? nil : decoded
    }

    @Test("more fields than the bound are refused as too many, before anything is decoded")
    func fieldBound() async {
        await propertyCheck(count: 5_000, input: Self.text, Gen.int(in: 0...8)) { text, bound in
            let items = text.split(separator: "&").count
            if items > bound {
                #expect(throws: URLEncodedForm.TooManyFieldsError.self) { try URLEncodedForm.decode(text, maxFields: bound) }
            } else {
                #expect((try? URLEncodedForm.decode(text, maxFields: bound)).map { $0.count <= bound } ?? true)
            }
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

    @Test("any context content that Foundation reads as a JSON object is one, else it is the whole text; no NUL in any value")
    func contextParser() async {
        await propertyCheck(count: 20_000, input: Self.text) { text in
            for content in [text, "{\"form\":\(text)}", "{\"a\":{\"b\":[\(text)]}}", "{\(text)}"] {
                let context = FormContext(content: content)
                // One way only: the context also reads numbers Foundation refuses (1e999).
                if (try? JSONSerialization.jsonObject(with: Data(content.utf8))) is [String: Any] {
                    #expect(context.isJSONObject, "\(content)")
                }
                if !context.isJSONObject {
                    #expect(context.value(at: "context.text") == content.replacingOccurrences(of: "\u{0}", with: ""))
                    #expect(context.formId == nil)
                }
                for value in [context.formId, context.language, context.value(at: "context.a.b.0"), context.value(at: "context.text")] {
                    #expect(value?.unicodeScalars.contains("\u{0}") != true)
                }
            }
        }
    }
}
