import Forms
import PropertyBased
import Testing

/// How answers are compared: a right answer typed differently (case, width, spacing, digits'
/// separators, a date with a time) is still right; nothing is left for an answer of nothing.
@Suite("Verification answers")
struct VerificationAnswerTests {
    typealias Kind = Verification.AnswerKind

    @Test("Text: NFKC, so full-width letters and digits, ligatures and composed accents compare as their plain forms")
    func textCompatibility() {
        #expect(Kind.text.normalise("ＡＢ１") == "ab1")
        #expect(Kind.text.normalise("ab1") == "ab1")
        #expect(Kind.text.normalise("ﬁle") == "file")
        #expect(Kind.text.normalise("Rene\u{301}") == Kind.text.normalise("René"))
    }

    @Test("Text: case-folded with the full mappings, whatever the locale: ß is ss, final sigma is sigma")
    func textCase() {
        for spelling in ["Straße", "STRASSE", "strasse", "STRAẞE"] {
            #expect(Kind.text.normalise(spelling) == "strasse", "\(spelling)")
        }
        #expect(Kind.text.normalise("ΣΟΦΟΣ") == Kind.text.normalise("σοφος"))
        #expect(Kind.text.normalise("İstanbul") == Kind.text.normalise("İSTANBUL"))
    }

    @Test("Text: trimmed, and spaces, tabs, newlines and other whitespace collapsed to one space")
    func textWhitespace() {
        #expect(Kind.text.normalise("  Main\t\tStreet \n\u{A0}\u{3000} 12  ") == "main street 12")
        #expect(Kind.text.normalise("SW1A\r\n1AA") == "sw1a 1aa")
    }

    @Test("Text: invisible characters pasted along (zero-width space, soft hyphen, byte order mark) are dropped")
    func textInvisibles() {
        #expect(Kind.text.normalise("post\u{200B}co\u{AD}de") == "postcode")
        #expect(Kind.text.normalise("\u{FEFF}SW1A 1AA") == "sw1a 1aa")
    }

    @Test("Text: nothing is left of an empty, blank or invisible answer", arguments: ["", "   ", "\t\n", "\u{200B}", "\u{A0}"])
    func textNothing(_ answer: String) {
        #expect(Kind.text.normalise(answer) == nil)
    }

    @Test(
        "Digits: only the decimal digits, of any script, as ASCII",
        arguments: [
            ("12 34-5", "12345"), ("１２３４５", "12345"), ("١٢٣٤٥", "12345"), ("(020) 7946-0018", "02079460018"), ("0012", "0012"),
        ]
    )
    func digits(_ answer: String, _ expected: String) {
        #expect(Kind.digits.normalise(answer) == expected)
    }

    @Test("Digits: nothing is left of an answer without decimal digits", arguments: ["", "abc", " - ", "x²", "Ⅻ"])
    func digitsNothing(_ answer: String) {
        #expect(Kind.digits.normalise(answer) == nil)
    }

    @Test(
        "Dates: yyyy-MM-dd, also followed by a time, is the day as written",
        arguments: [
            ("1980-04-02", "1980-04-02"), (" 1980-04-02\n", "1980-04-02"), ("1980-04-02T00:00:00Z", "1980-04-02"),
            ("1980-04-02T23:59:59.123+02:00", "1980-04-02"), ("1980-04-02T10:15-0500", "1980-04-02"), ("1980-04-02 10:15", "1980-04-02"),
            ("1980-04-02t10:15:00z", "1980-04-02"), ("2024-02-29", "2024-02-29"),
        ]
    )
    func dates(_ answer: String, _ expected: String) {
        #expect(Kind.date.normalise(answer) == expected)
    }

    @Test(
        "Dates: impossible days, other formats and other things after the day are not dates",
        arguments: [
            "2023-02-30", "2023-02-29", "1980-13-01", "1980-04-31", "0000-01-01", "1980-4-2", "02/04/1980", "19800402", "1980-04-02X",
            "1980-04-02T", "1980-04-02Tnoon", "1980-04-02T25:00", "1980-04-02T10:15.5", "1980-04-02T10:15:00+25:00", "", "１９８０-04-02",
        ]
    )
    func notDates(_ answer: String) {
        #expect(Kind.date.normalise(answer) == nil)
    }

    @Test("The HTML input: text and digits are text inputs, digits with a numeric keyboard; dates are date inputs")
    func htmlInput() {
        #expect(Kind.allCases.map(\.inputType) == ["text", "text", "date"])
        #expect(Kind.allCases.map(\.inputMode) == [nil, "numeric", nil])
    }

    // MARK: Expected answers

    static let context = FormContext(
        content: #"""
            {"postalCode": " SW1A  1aa ", "account": {"number": 12345}, "birthDate": "1980-04-02T00:00:00Z",
             "written": "02/04/1980", "empty": "", "nothing": null, "list": [1, 2], "phone": "+44 20 7946 0018"}
            """#
    )

    static func expected(_ kind: Kind, _ path: String) -> String? {
        let question = Verification.Question(name: "q", label: "Q", kind: kind, answerPath: path)
        return Verification(questions: [question]).expectedAnswer(question, in: context)
    }

    @Test("The expected answer is the context's value, normalised like the person's")
    func expectedAnswers() {
        #expect(Self.expected(.text, "context.postalCode") == "sw1a 1aa")
        #expect(Self.expected(.date, "context.birthDate") == "1980-04-02")
        #expect(Self.expected(.digits, "context.phone") == "442079460018")
    }

    @Test("A number in the context counts as its text")
    func numberInContext() {
        #expect(Self.expected(.digits, "context.account.number") == "12345")
        #expect(Self.expected(.text, "context.account.number") == "12345")
    }

    @Test(
        "No expected answer when the context lacks one that normalises to something",
        arguments: [
            "context.missing", "context.account.missing", "context.account", "context.list", "context.nothing", "context.empty", "postalCode",
        ]
    )
    func noExpectedAnswer(_ path: String) {
        #expect(Self.expected(.text, path) == nil)
    }

    @Test("A date written otherwise in the context gives no expected answer: the person could never match it")
    func unreadableDateInContext() {
        #expect(Self.expected(.date, "context.written") == nil)
    }

    @Test("A context that is plain text is reachable as context.text")
    func plainTextContext() {
        let question = Verification.Question(name: "q", label: "Q", kind: .digits, answerPath: "context.text")
        #expect(Verification(questions: [question]).expectedAnswer(question, in: FormContext(content: "code 12-34")) == "1234")
    }

    // MARK: Properties

    /// Pieces that change under NFKC or case mapping, or interact with each other: compatibility
    /// forms, letters whose case mapping grows or composes, combining marks, whitespace and
    /// invisible characters.
    static let awkwardPieces = [
        "a", "Z", "1", " ", "\t", "\n", "\u{A0}", "\u{3000}", "\u{200B}", "\u{AD}", "\u{FEFF}", "\u{200D}", "ß", "ẞ", "İ", "ı", "ς", "Σ",
        "ΐ", "\u{345}", "ᾳ", "ﬃ", "Ⅻ", "㎏", "Ａ", "１", "e", "\u{301}", "\u{308}", "\u{307}", "ǅ", "Ꭰ", "ꭰ", "ᏸ", "ﷺ", "ŉ", "ǰ", "Å", "K",
        "Ω", "ⓐ", "Ⓐ", "ﹶ", "ㄱ", "가", "\u{1161}", "\u{11A8}", "ﾞ", "ｶ", "٣", "²", "-", ":", "T",
    ]
    static let awkwardText = Gen.int(in: 0...(awkwardPieces.count - 1)).map { awkwardPieces[$0] }.array(of: 0...24).map { $0.joined() }
    /// Any scalar at all, surrogates (which are no scalars) replaced.
    static let anyText = Gen.int(in: 0...0x10_FFFF).map { Unicode.Scalar(UInt32($0)) ?? "?" }.array(of: 0...24)
        .map { String(String.UnicodeScalarView($0)) }

    @Test("Normalising twice gives what normalising once gives, for any text and every kind")
    func idempotent() async {
        for input in [Self.awkwardText, Self.anyText] {
            await propertyCheck(count: 3_000, input: input) { text in
                for kind in Kind.allCases {
                    let once = kind.normalise(text)
                    #expect(once.flatMap(kind.normalise) == once, "\(kind): \(text.unicodeScalars.map { String($0.value, radix: 16) })")
                }
            }
        }
    }

    @Test("Normalised text has no whitespace but single spaces between words")
    func normalisedTextIsTight() async {
        await propertyCheck(count: 3_000, input: Self.awkwardText) { text in
            guard let once = Kind.text.normalise(text) else { return }
            #expect(once.first != " " && once.last != " " && !once.contains("  "))
            #expect(!once.unicodeScalars.contains { $0.properties.isWhitespace && $0 != " " })
        }
    }
}
