internal import Foundation

/// The shapes of values, shared by submit-time validation and load-time checks of a file's
/// `min`, `max`, `step` and `value:` (so a file cannot promise what a person could never send).
enum ValueRules {
    // MARK: Numbers

    /// A decimal as HTML number inputs send it: `-?` digits with an optional `.` fraction, or
    /// `.5`. No exponent, no `NaN`, no grouping, no spaces. At most 40 characters, beyond which
    /// `Decimal` would round silently.
    static func decimal(_ text: String) -> Decimal? {
        guard (1...40).contains(text.utf8.count) else { return nil }
        var bytes = text.utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        let isDigits = { (part: Substring.UTF8View.SubSequence) in
            !part.isEmpty && part.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        }
        switch parts.count {
        case 1: guard isDigits(parts[0]) else { return nil }
        case 2: guard parts[0].isEmpty || isDigits(parts[0]), isDigits(parts[1]) else { return nil }
        default: return nil
        }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// HTML's step rule: `value - base` is a whole number of steps.
    static func isWholeMultiple(_ value: Decimal, of step: Decimal, from base: Decimal) -> Bool {
        guard step > 0 else { return false }
        var quotient = (value - base) / step
        var rounded = Decimal()
        NSDecimalRound(&rounded, &quotient, 0, .plain)
        return rounded == quotient
    }

    // MARK: Dates and times

    /// A day that exists, written strictly as `YYYY-MM-DD` (year 0001–9999).
    struct CalendarDate: Comparable {
        let year: Int, month: Int, day: Int

        init?(_ text: String) {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
                let year = ValueRules.digits(parts[0]), let month = ValueRules.digits(parts[1]),
                let day = ValueRules.digits(parts[2]),
                year >= 1, (1...12).contains(month), (1...Self.days(in: month, of: year)).contains(day)
            else { return nil }
            (self.year, self.month, self.day) = (year, month, day)
        }

        static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
        }

        private static func days(in month: Int, of year: Int) -> Int {
            switch month {
            case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        }
    }

    /// `HH:MM` or `HH:MM:SS`, 00–23 hours, 00–59 minutes and seconds; compared in seconds.
    struct TimeOfDay: Comparable {
        let seconds: Int

        init?(_ text: String) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard (2...3).contains(parts.count), parts.allSatisfy({ $0.count == 2 }),
                let hours = ValueRules.digits(parts[0]), let minutes = ValueRules.digits(parts[1]),
                hours < 24, minutes < 60
            else { return nil }
            var seconds = 0
            if parts.count == 3 {
                guard let value = ValueRules.digits(parts[2]), value < 60 else { return nil }
                seconds = value
            }
            self.seconds = hours * 3600 + minutes * 60 + seconds
        }

        static func < (lhs: Self, rhs: Self) -> Bool { lhs.seconds < rhs.seconds }
    }

    /// A value of a `number`, `date` or `time` field, comparable with its `min` and `max`.
    enum Ordered: Comparable {
        case number(Decimal)
        case date(CalendarDate)
        case time(TimeOfDay)

        init?(_ text: String, type: FieldType) {
            switch type {
            case .number:
                guard let value = ValueRules.decimal(text) else { return nil }
                self = .number(value)
            case .date:
                guard let value = CalendarDate(text) else { return nil }
                self = .date(value)
            case .time:
                guard let value = TimeOfDay(text) else { return nil }
                self = .time(value)
            default: return nil
            }
        }
    }

    // MARK: Text shapes

    /// `local@domain.tld` as HTML's `type=email` accepts it (ASCII; browsers send IDN domains as
    /// punycode), plus a top-level domain: at most 254 characters, no spaces.
    static func isEmail(_ text: String) -> Bool {
        guard text.utf8.count <= 254 else { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...64).contains(parts[0].utf8.count),
            parts[0].unicodeScalars.allSatisfy({ $0.isASCII && emailLocalCharacters.contains($0) })
        else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2,
            labels.allSatisfy({ label in
                (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                    && label.unicodeScalars.allSatisfy { $0.isASCII && (isAlphanumeric($0) || $0 == "-") }
            }),
            let topLevel = labels.last, topLevel.count >= 2, !topLevel.allSatisfy(\.isNumber)
        else { return false }
        return true
    }

    /// An `http` or `https` URL with a host, without spaces.
    static func isWebURL(_ text: String) -> Bool {
        guard !text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }),
            let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else { return false }
        return true
    }

    /// 3–32 of digits, spaces and `+ - ( ) .`, with at least 3 digits.
    static func isTelephone(_ text: String) -> Bool {
        guard (3...32).contains(text.count),
            text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || " +-().".unicodeScalars.contains($0) })
        else { return false }
        return text.unicodeScalars.filter { ("0"..."9").contains($0) }.count >= 3
    }

    /// Whether the whole value matches the HTML `pattern` (anchored at both ends), as compiled
    /// by ``compileWhole(_:)``. A pattern that did not compile (`nil`) matches nothing: loading
    /// refuses such files, and failing closed is right for a form built in code that skipped that check.
    static func matchesWhole(_ text: String, _ pattern: WholeMatchPattern?) -> Bool {
        pattern?.matchesWhole(text) ?? false
    }

    static func anchored(_ pattern: String) -> String { "^(?:\(pattern))$" }

    /// The anchored pattern compiled, `nil` when there is none or it does not compile.
    static func compileWhole(_ pattern: String?) -> WholeMatchPattern? {
        pattern.flatMap(WholeMatchPattern.init)
    }

    /// Why a pattern could backtrack catastrophically, or `nil`: a repeated group that itself holds
    /// a repetition (`(a+)+`, `(\w*\s?)*`, `([a-z]+-?){2,}`), and back-references (`(a)\1`).
    /// Such shapes take exponential time on a value that almost matches.
    static func catastrophicShape(of pattern: String) -> String? {
        var scalars = Array(pattern.unicodeScalars)[...]
        // Per open group: whether a repetition occurs inside it so far.
        var groups: [Bool] = [false]
        // Whether the atom just before the current position is a group holding a repetition.
        var previousGroupRepeats = false
        while let scalar = scalars.popFirst() {
            var atomIsRepeatingGroup = false
            switch scalar {
            case "\\":
                guard let escaped = scalars.popFirst() else { break }
                if ("1"..."9").contains(escaped) || escaped == "k" {
                    return "back-references (\\1, \\k<name>) can take exponential time"
                }
            case "[":
                // A character class is one atom: skip to its closing bracket.
                if scalars.first == "^" { scalars.removeFirst() }
                if scalars.first == "]" { scalars.removeFirst() }
                while let inner = scalars.popFirst(), inner != "]" {
                    if inner == "\\" { _ = scalars.popFirst() }
                }
            case "(":
                groups.append(false)
            case ")":
                let repeats = groups.count > 1 ? groups.removeLast() : false
                if repeats, let last = groups.indices.last { groups[last] = true }
                atomIsRepeatingGroup = repeats
            case "*", "+", "{", "?":
                var repeating = scalar != "?"
                if scalar == "{" {
                    var bounds = ""
                    while let inner = scalars.popFirst(), inner != "}" { bounds.unicodeScalars.append(inner) }
                    let parts = bounds.split(separator: ",", omittingEmptySubsequences: false)
                    // {n} repeats nothing variable; {n,} and {n,m} with m > n do.
                    repeating = parts.count == 2 && (parts[1].isEmpty || Int(parts[1]) ?? 0 > Int(parts[0]) ?? 0)
                }
                // A lazy or possessive marker belongs to the quantifier.
                if scalars.first == "?" || scalars.first == "+" { scalars.removeFirst() }
                if repeating {
                    if previousGroupRepeats {
                        return "a repeated group holds a repetition (like (a+)+): it can take exponential time"
                    }
                    if let last = groups.indices.last { groups[last] = true }
                }
            default:
                break
            }
            previousGroupRepeats = atomIsRepeatingGroup
        }
        return nil
    }

    // MARK: Helpers

    private static let emailLocalCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&'*+/=?^_`{|}~-".unicodeScalars)

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    private static func digits(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return Int(text)
    }
}
