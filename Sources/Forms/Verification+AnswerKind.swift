internal import Foundation

extension Verification {
    /// How an answer is compared with the expected one: both go through ``normalise(_:)``, so a
    /// person is not refused over how they typed a right answer.
    public enum AnswerKind: String, Sendable, CaseIterable {
        case text, digits, date

        /// The valid spellings, in declaration order, for "expected one of …" messages.
        static let spellings = allCases.map(\.rawValue).joined(separator: ", ")

        /// The answer as compared: text → Unicode NFKC, case-folded (locale-independent), trimmed, runs of
        /// whitespace collapsed to one space; digits → only the decimal digits, as ASCII (so "12 34-5" and
        /// full-width digits compare equal to "12345"); date → the ISO date yyyy-MM-dd (accept yyyy-MM-dd,
        /// also when followed by a time like 1980-04-02T00:00:00Z, and reject impossible dates such as 2023-02-30).
        /// nil when nothing is left to compare (empty, or not a date).
        ///
        /// Text is case-folded as `uppercased().lowercased()`: Unicode's default full case mappings,
        /// the same on every platform and in every locale, so `Straße`, `STRASSE` and `strasse`
        /// are one answer, as are `ΣΟΦΟΣ` and `σοφος`. Default-ignorable characters (zero-width
        /// spaces, soft hyphens, joiners) are dropped first, as Unicode's NFKC_Casefold drops them:
        /// they arrive by copy and paste, unseen.
        ///
        /// A date keeps the day as written and ignores the time and its zone: a birthday stored
        /// as `1980-04-02T00:00:00+02:00` is still the 2nd of April.
        public func normalise(_ answer: String) -> String? {
            let normalised =
                switch self {
                case .text: Self.foldedText(answer)
                case .digits: Self.asciiDigits(answer)
                case .date: Self.isoDate(answer)
                }
            return normalised?.isEmpty == false ? normalised : nil
        }

        /// The HTML input type: "text" for text and digits, "date" for date.
        public var inputType: String {
            self == .date ? "date" : "text"
        }

        /// The HTML inputmode: "numeric" for digits, nil otherwise.
        public var inputMode: String? {
            self == .digits ? "numeric" : nil
        }

        // MARK: Text

        /// One pass can leave work for the next (ẞ lowercases to ß, whose uppercase is SS; a case
        /// mapping can yield a sequence NFKC composes), so passes repeat until nothing changes:
        /// comparing needs normalise(normalise(x)) == normalise(x). Two passes settle any real
        /// text; the bound only keeps a pathological one from looping.
        private static func foldedText(_ answer: String) -> String {
            var current = foldingPass(answer)
            for _ in 0..<4 {
                let next = foldingPass(current)
                if next == current { break }
                current = next
            }
            return current
        }

        private static func foldingPass(_ text: String) -> String {
            let visible = String(String.UnicodeScalarView(text.unicodeScalars.filter { !$0.properties.isDefaultIgnorableCodePoint }))
            let folded = visible.precomposedStringWithCompatibilityMapping.uppercased().lowercased()
            let words = folded.precomposedStringWithCompatibilityMapping.unicodeScalars
                .split(whereSeparator: \.properties.isWhitespace)
            return words.map { String(String.UnicodeScalarView($0)) }.joined(separator: " ")
        }

        // MARK: Digits

        /// Any script's decimal digits (full-width, Arabic-Indic, Devanagari) as their ASCII
        /// value; everything else, separators included, is left out.
        private static func asciiDigits(_ answer: String) -> String {
            var digits = String.UnicodeScalarView()
            for scalar in answer.unicodeScalars where scalar.properties.numericType == .decimal {
                // A decimal digit's value is always one of 0...9.
                guard let value = scalar.properties.numericValue else { continue }
                digits.append(Unicode.Scalar(UInt8(ascii: "0") + UInt8(value)))
            }
            return String(digits)
        }

        // MARK: Dates

        private static func isoDate(_ answer: String) -> String? {
            let trimmed = answer.trimmingCharacters(in: .whitespacesAndNewlines)
            let day = String(trimmed.prefix(10))
            guard ValueRules.CalendarDate(day) != nil, isTimeSuffix(trimmed.dropFirst(10)) else { return nil }
            return day
        }

        /// Nothing, or `T` (or a space) and a time: `HH:MM`, optional `:SS` and `.fraction`,
        /// optional zone `Z`, `±HH:MM`, `±HHMM` or `±HH`.
        private static func isTimeSuffix(_ rest: Substring) -> Bool {
            guard let separator = rest.first else { return true }
            guard separator == "T" || separator == "t" || separator == " " else { return false }
            var clock = rest.dropFirst()
            if clock.last == "Z" || clock.last == "z" {
                clock = clock.dropLast()
            } else if let sign = clock.lastIndex(where: { $0 == "+" || $0 == "-" }) {
                guard isZoneOffset(clock[clock.index(after: sign)...]) else { return false }
                clock = clock[..<sign]
            }
            if let dot = clock.firstIndex(of: ".") {
                let fraction = clock[clock.index(after: dot)...]
                guard !fraction.isEmpty, fraction.allSatisfy(\.isASCIIDigit) else { return false }
                clock = clock[..<dot]
                guard clock.count == 8 else { return false }
            }
            return ValueRules.TimeOfDay(String(clock)) != nil
        }

        private static func isZoneOffset(_ zone: Substring) -> Bool {
            let clock: String =
                switch zone.count {
                case 2: "\(zone):00"
                case 4 where !zone.contains(":"): "\(zone.prefix(2)):\(zone.suffix(2))"
                default: String(zone)
                }
            return clock.count == 5 && ValueRules.TimeOfDay(clock) != nil
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
