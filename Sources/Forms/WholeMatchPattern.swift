internal import Foundation

#if canImport(_FoundationICU)
internal import _FoundationICU
#endif

/// A field's `pattern`, compiled once, that must match a whole value, and that no value can make
/// run for long: ICU, the engine behind NSRegularExpression, is given a time limit per match.
/// A match that runs out of time is no match (fail closed). Loading already refuses the shapes
/// known to backtrack catastrophically (``ValueRules/catastrophicShape(of:)``); the limit is for
/// those no check foresees.
///
/// The toolchain's ICU (`_FoundationICU`, what Foundation itself links) names its C functions with
/// a `swift_` prefix. Where it is not importable, NSRegularExpression does the matching, unbounded.
final class WholeMatchPattern: @unchecked Sendable {
    /// Steps of ICU's match engine, each a fraction of a millisecond: a real pattern on a value
    /// under maxLength needs a handful; `(a+)+$` on 30 characters needs millions.
    static let timeLimit: Int32 = 100

    #if canImport(_FoundationICU)
    // Never used to match directly (a URegularExpression is not thread-safe): each match clones it.
    private let prototype: OpaquePointer
    #else
    private let regex: NSRegularExpression
    #endif

    init?(_ pattern: String) {
        let anchored = ValueRules.anchored(pattern)
        #if canImport(_FoundationICU)
        let units = Array(anchored.utf16)
        var status = U_ZERO_ERROR
        guard let compiled = swift_uregex_open(units, Int32(units.count), 0, nil, &status), status.rawValue <= U_ZERO_ERROR.rawValue else {
            return nil
        }
        prototype = compiled
        #else
        guard let compiled = try? NSRegularExpression(pattern: anchored) else { return nil }
        regex = compiled
        #endif
    }

    #if canImport(_FoundationICU)
    deinit { swift_uregex_close(prototype) }
    #endif

    /// True when the whole of `text` matches; false when it does not, or when matching ran out of time.
    func matchesWhole(_ text: String) -> Bool {
        #if canImport(_FoundationICU)
        var status = U_ZERO_ERROR
        guard let regex = swift_uregex_clone(prototype, &status) else { return false }
        defer { swift_uregex_close(regex) }
        swift_uregex_setTimeLimit(regex, Self.timeLimit, &status)
        let units = Array(text.utf16)
        return units.withUnsafeBufferPointer { buffer in
            swift_uregex_setText(regex, buffer.baseAddress, Int32(buffer.count), &status)
            let matched = swift_uregex_matches(regex, 0, &status)
            return status.rawValue <= U_ZERO_ERROR.rawValue && matched != 0
        }
        #else
        let whole = NSRange(text.startIndex..., in: text)
        // `$` also matches before a final newline; insisting on the whole range closes that gap.
        return regex.firstMatch(in: text, range: whole)?.range == whole
        #endif
    }
}
