import PropertyBased
import Testing

@testable import Forms

/// Submit-time validation: the server's rules, each passing and failing, at its boundaries.
@Suite("Validating submissions")
struct FormValidationTests {
    /// A form with one field, so each rule is tested alone.
    static func form(_ field: FieldDefinition) -> FormDefinition {
        FormDefinition(id: "t", title: "T", fields: [field])
    }

    /// The normalised value and the problem of submitting `values` for the single field `field`.
    static func submit(_ field: FieldDefinition, _ values: [String]) -> (value: [String], problem: FieldProblem?) {
        let validation = form(field).validate(FormValues(dictionary: [field.name: values]))
        return (validation.values[field.name], validation.errors.first?.problem)
    }

    static func problem(_ field: FieldDefinition, _ value: String) -> FieldProblem? {
        submit(field, [value]).problem
    }

    // MARK: Required, empty and trimming

    @Test("A required field left empty or blank is refused; a filled one passes")
    func requiredField() {
        let field = FieldDefinition(name: "street", required: true)
        #expect(Self.submit(field, []).problem == .required)
        #expect(Self.problem(field, "") == .required)
        #expect(Self.problem(field, "   \t ") == .required)
        #expect(Self.problem(field, "Main St 1") == nil)
    }

    @Test("An empty optional field passes with the value \"\"")
    func emptyOptionalField() {
        for type in [FieldType.text, .email, .tel, .url, .number, .date, .time, .select, .radio, .textarea] {
            let field = FieldDefinition(name: "f", type: type, options: type == .select || type == .radio ? [FieldOption(value: "a")] : [])
            let result = Self.submit(field, [])
            #expect(result.problem == nil, "\(type)")
            #expect(result.value == [""], "\(type)")
        }
    }

    @Test("Single-line values are trimmed; a textarea keeps its spaces and gets \\n line breaks")
    func trimming() {
        #expect(Self.submit(FieldDefinition(name: "a"), ["  Main St  \n"]).value == ["Main St"])
        #expect(Self.submit(FieldDefinition(name: "a", type: .email), [" a@example.com "]).value == ["a@example.com"])
        let textarea = FieldDefinition(name: "a", type: .textarea)
        #expect(Self.submit(textarea, ["  first\r\nsecond\rthird  "]).value == ["  first\nsecond\nthird  "])
        #expect(Self.submit(textarea, [" \r\n "]).value == [""], "blank counts as empty")
        #expect(Self.submit(FieldDefinition(name: "a", type: .textarea, required: true), ["\r\n  "]).problem == .required)
    }

    @Test("Several values for a text field: the first one is used")
    func severalValuesForText() {
        #expect(Self.submit(FieldDefinition(name: "a"), ["first", "second"]) == (["first"], nil))
    }

    // MARK: Lengths

    @Test("minLength and maxLength count Characters, at their boundaries")
    func lengths() {
        let field = FieldDefinition(name: "a", minLength: 3, maxLength: 5)
        #expect(Self.problem(field, "ab") == .tooShort(minimum: 3))
        #expect(Self.problem(field, "abc") == nil)
        #expect(Self.problem(field, "abcde") == nil)
        #expect(Self.problem(field, "abcdef") == .tooLong(maximum: 5))
        #expect(Self.problem(field, "ééééé") == nil, "5 Characters, 10 bytes")
        #expect(Self.problem(field, "👨‍👩‍👧‍👦ab") == nil, "a family emoji is one Character")
    }

    @Test("Without maxLength, single-line fields take 500 Characters and a textarea 5000")
    func defaultMaxLengths() {
        let text = FieldDefinition(name: "a")
        #expect(text.effectiveMaxLength == 500)
        #expect(Self.problem(text, String(repeating: "x", count: 500)) == nil)
        #expect(Self.problem(text, String(repeating: "x", count: 501)) == .tooLong(maximum: 500))
        let textarea = FieldDefinition(name: "a", type: .textarea)
        #expect(textarea.effectiveMaxLength == 5000)
        #expect(Self.problem(textarea, String(repeating: "x", count: 5000)) == nil)
        #expect(Self.problem(textarea, String(repeating: "x", count: 5001)) == .tooLong(maximum: 5000))
        #expect(FieldDefinition(name: "a", type: .number).effectiveMaxLength == nil)
    }

    // MARK: Pattern

    @Test("A pattern must match the whole value")
    func patternMatchesWholeValue() {
        let postalCode = FieldDefinition(name: "a", pattern: "\\d{5}")
        #expect(Self.problem(postalCode, "12345") == nil)
        #expect(Self.problem(postalCode, "1234") == .patternMismatch)
        #expect(Self.problem(postalCode, "123456") == .patternMismatch)
        #expect(Self.problem(postalCode, "x12345") == .patternMismatch)
        let alternatives = FieldDefinition(name: "a", pattern: "a|b")
        #expect(Self.problem(alternatives, "a") == nil)
        #expect(Self.problem(alternatives, "ab") == .patternMismatch, "anchoring wraps the whole alternation")
    }

    // MARK: Shapes

    @Test(
        "Email addresses of the local@domain.tld shape pass",
        arguments: ["name@example.com", "first.last+tag@sub.example.co.uk", "o'brien@example.ie", "x@xn--80ak6aa92e.com"]
    )
    func validEmails(_ value: String) {
        #expect(Self.problem(FieldDefinition(name: "a", type: .email), value) == nil)
    }

    @Test(
        "Email addresses of another shape are refused",
        arguments: [
            "name@example", "name example@x.com", "@example.com", "name@", "a@b@c.com", "name@-example.com",
            "name@example..com", "name@example.c", "name@1.2.3.4", "nâme@example.com", "<a>@example.com",
            String(repeating: "a", count: 64) + "@" + String(repeating: "b", count: 185) + ".com",
        ]
    )
    func invalidEmails(_ value: String) {
        #expect(Self.problem(FieldDefinition(name: "a", type: .email, maxLength: 400), value) == .invalidEmail)
    }

    @Test("An email address of 254 characters passes, 255 does not")
    func emailLengthBoundary() {
        let field = FieldDefinition(name: "a", type: .email)
        let labels = (0..<3).map { _ in String(repeating: "b", count: 60) }.joined(separator: ".")
        let exact = String(repeating: "a", count: 63) + "@" + labels + "." + String(repeating: "c", count: 7)
        #expect(exact.count == 254)
        #expect(Self.problem(field, exact) == nil)
        #expect(Self.problem(field, "a" + exact) == .invalidEmail, "a 64-character local part is fine, 255 in all is not")
        #expect(Self.problem(field, String(repeating: "a", count: 65) + "@example.com") == .invalidEmail)
        #expect(Self.problem(field, "a@" + String(repeating: "b", count: 64) + ".com") == .invalidEmail, "labels are at most 63")
    }

    @Test(
        "Web addresses need http or https and a host",
        arguments: [
            ("https://example.com/path?q=1#top", true), ("http://localhost:8080", true), ("HTTPS://EXAMPLE.COM", true),
            ("ftp://example.com", false), ("example.com", false), ("https://", false), ("javascript:alert(1)", false),
            ("https://exa mple.com", false), ("mailto:a@example.com", false),
        ]
    )
    func webAddresses(_ value: String, _ valid: Bool) {
        #expect(Self.problem(FieldDefinition(name: "a", type: .url), value) == (valid ? nil : .invalidURL))
    }

    @Test(
        "Telephone numbers are 3–32 of digits, spaces and + - ( ) . with at least 3 digits",
        arguments: [
            ("+1 (555) 010-0000", true), ("123", true), ("0049.30.1234", true), (String(repeating: "1", count: 32), true),
            ("12", false), ("12a", false), ("+-()", false), ("1.2", false), (String(repeating: "1", count: 33), false),
            ("555 0100 ext 3", false),
        ]
    )
    func telephoneNumbers(_ value: String, _ valid: Bool) {
        #expect(Self.problem(FieldDefinition(name: "a", type: .tel), value) == (valid ? nil : .invalidTelephone))
    }

    // MARK: Numbers

    @Test("Numbers are plain decimals with a dot", arguments: ["5", "-3.25", "0.5", ".5", "007", "12345678901234567890"])
    func validNumbers(_ value: String) {
        #expect(Self.problem(FieldDefinition(name: "a", type: .number), value) == nil)
    }

    @Test(
        "Anything else is not a number",
        arguments: ["1e5", "NaN", "Infinity", "1,5", "5.", "+5", "0x10", "- 5", "1.2.3", "--1", "٣", String(repeating: "9", count: 41)]
    )
    func invalidNumbers(_ value: String) {
        #expect(Self.problem(FieldDefinition(name: "a", type: .number), value) == .invalidNumber)
    }

    @Test("min and max bound numbers, inclusive, compared as numbers")
    func numberRange() {
        let field = FieldDefinition(name: "a", type: .number, min: "0", max: "10")
        #expect(Self.problem(field, "0") == nil)
        #expect(Self.problem(field, "10") == nil)
        #expect(Self.problem(field, "9.99") == nil)
        #expect(Self.problem(field, "-0.001") == .belowMinimum("0"))
        #expect(Self.problem(field, "10.5") == .aboveMaximum("10"))
        #expect(Self.problem(field, "100") == .aboveMaximum("10"), "numerically, not as text")
    }

    @Test("step counts from min, or from 0 without one")
    func numberStep() {
        let halves = FieldDefinition(name: "a", type: .number, step: "0.5")
        #expect(Self.problem(halves, "2.5") == nil)
        #expect(Self.problem(halves, "-1.5") == nil)
        #expect(Self.problem(halves, "2.25") == .stepMismatch("0.5"))
        let odd = FieldDefinition(name: "a", type: .number, min: "1", step: "2")
        #expect(Self.problem(odd, "3") == nil)
        #expect(Self.problem(odd, "4") == .stepMismatch("2"))
        let tenths = FieldDefinition(name: "a", type: .number, step: "0.1")
        #expect(Self.problem(tenths, "0.3") == nil, "decimal arithmetic: no 0.30000000000000004")
        #expect(Self.problem(tenths, "0.35") == .stepMismatch("0.1"))
    }

    // MARK: Dates and times

    @Test(
        "Dates are strict YYYY-MM-DD days that exist",
        arguments: [
            ("2024-02-29", true), ("2000-02-29", true), ("2026-12-31", true),
            ("2023-02-29", false), ("1900-02-29", false), ("2026-02-30", false), ("2026-04-31", false),
            ("2026-13-01", false), ("2026-1-05", false), ("26-01-05", false), ("2026/01/05", false),
            ("0000-01-01", false), ("2026-01-05T00:00", false),
        ]
    )
    func dates(_ value: String, _ valid: Bool) {
        #expect(Self.problem(FieldDefinition(name: "a", type: .date), value) == (valid ? nil : .invalidDate))
    }

    @Test("min and max bound dates, inclusive")
    func dateRange() {
        let field = FieldDefinition(name: "a", type: .date, min: "2026-01-01", max: "2026-06-30")
        #expect(Self.problem(field, "2025-12-31") == .belowMinimum("2026-01-01"))
        #expect(Self.problem(field, "2026-01-01") == nil)
        #expect(Self.problem(field, "2026-06-30") == nil)
        #expect(Self.problem(field, "2026-07-01") == .aboveMaximum("2026-06-30"))
    }

    @Test(
        "Times are HH:MM or HH:MM:SS within a day",
        arguments: [
            ("00:00", true), ("23:59", true), ("12:30:15", true),
            ("24:00", false), ("12:60", false), ("7:30", false), ("12:30:60", false), ("12", false), ("12:30pm", false),
        ]
    )
    func times(_ value: String, _ valid: Bool) {
        #expect(Self.problem(FieldDefinition(name: "a", type: .time), value) == (valid ? nil : .invalidTime))
    }

    @Test("min and max bound times, inclusive, seconds included")
    func timeRange() {
        let field = FieldDefinition(name: "a", type: .time, min: "08:00", max: "18:00")
        #expect(Self.problem(field, "07:59") == .belowMinimum("08:00"))
        #expect(Self.problem(field, "08:00") == nil)
        #expect(Self.problem(field, "18:00") == nil)
        #expect(Self.problem(field, "18:00:01") == .aboveMaximum("18:00"))
    }

    // MARK: Choices

    static let colours = [FieldOption(value: "red"), FieldOption(value: "green"), FieldOption(value: "blue")]

    @Test("select and radio take one of the options' values", arguments: [FieldType.select, .radio])
    func singleChoice(_ type: FieldType) {
        let field = FieldDefinition(name: "a", type: type, options: Self.colours)
        #expect(Self.submit(field, ["green"]) == (["green"], nil))
        #expect(Self.problem(field, "purple") == .notAnOption)
        #expect(Self.problem(field, "Green") == .notAnOption, "values are compared exactly")
        #expect(Self.submit(field, ["red", "blue"]).problem == .notAnOption, "one value only")
        let required = FieldDefinition(name: "a", type: type, required: true, options: Self.colours)
        #expect(Self.submit(required, []).problem == .required)
        #expect(Self.submit(required, [""]).problem == .required)
    }

    @Test("checkboxes keep offered values once each, in the options' order")
    func checkboxes() {
        let field = FieldDefinition(name: "a", type: .checkboxes, options: Self.colours)
        #expect(Self.submit(field, ["blue", "red", "blue"]) == (["red", "blue"], nil))
        #expect(Self.submit(field, []) == ([], nil))
        #expect(Self.submit(field, ["red", "purple"]).problem == .notAnOption)
        let required = FieldDefinition(name: "a", type: .checkboxes, required: true, options: Self.colours)
        #expect(Self.submit(required, []).problem == .required)
        #expect(Self.submit(required, ["green"]) == (["green"], nil))
    }

    @Test("A checkbox is \"false\" when absent, \"true\" when ticked, and refuses other values")
    func checkbox() {
        let field = FieldDefinition(name: "a", type: .checkbox)
        #expect(Self.submit(field, []) == (["false"], nil))
        #expect(Self.submit(field, ["on"]) == (["true"], nil))
        #expect(Self.submit(field, ["true"]) == (["true"], nil))
        #expect(Self.submit(field, ["false"]) == (["false"], nil), "normalised values validate again unchanged")
        #expect(Self.submit(field, ["false", "true"]) == (["true"], nil), "a hidden false before the box")
        #expect(Self.submit(field, ["maybe"]).problem == .notAnOption)
        let required = FieldDefinition(name: "a", type: .checkbox, required: true)
        #expect(Self.submit(required, []).problem == .required)
        #expect(Self.submit(required, ["yes"]) == (["true"], nil))
    }

    // MARK: Hidden fields

    @Test("A hidden field with a literal value always uses it, whatever was posted")
    func hiddenLiteralWins() {
        let field = FieldDefinition(name: "source", type: .hidden, value: "sms")
        #expect(Self.submit(field, ["tampered"]) == (["sms"], nil))
        #expect(Self.submit(field, []) == (["sms"], nil))
    }

    @Test("A hidden field with prefill takes the context's value, never the posted one, and is not length-checked")
    func hiddenPrefillFromContext() {
        let field = FieldDefinition(name: "customerId", type: .hidden, maxLength: 8, prefill: "context.customerId")
        let long = String(repeating: "C", count: 501)
        let validation = Self.form(field).validate(["customerId": ["C-9999"]], context: FormContext(content: #"{"customerId":"\#(long)"}"#))
        #expect(validation.values["customerId"] == [long])
        #expect(validation.isValid)
        #expect(Self.submit(field, ["C-9999"]) == ([""], nil), "without a context, nothing from the post either")
    }

    // MARK: Whole forms

    @Test("Errors come one per field, in form order, and unknown fields are ignored")
    func errorsInFormOrder() {
        let form = FormDefinition(
            id: "t",
            title: "T",
            fields: [
                FieldDefinition(name: "name", required: true),
                FieldDefinition(name: "email", type: .email, required: true),
                FieldDefinition(name: "age", type: .number, min: "18"),
            ]
        )
        let validation = form.validate(FormValues([("age", "12"), ("email", "nope"), ("intruder", "x"), ("_token", "t")]))
        #expect(!validation.isValid)
        #expect(
            validation.errors == [
                FieldError(field: "name", problem: .required),
                FieldError(field: "email", problem: .invalidEmail),
                FieldError(field: "age", problem: .belowMinimum("18")),
            ]
        )
        #expect(validation.problem(for: "email") == .invalidEmail)
        #expect(validation.values.names == ["name", "email", "age"], "only the form's fields")
        #expect(validation.values["email"] == ["nope"], "what was typed is kept to show again")
    }

    @Test("A valid submission is valid, and its normalised values validate again unchanged")
    func validSubmissionRoundTrips() throws {
        let form = FormDefinition(
            id: "t",
            title: "T",
            fields: [
                FieldDefinition(name: "name", required: true),
                FieldDefinition(name: "topics", type: .checkboxes, options: Self.colours),
                FieldDefinition(name: "consent", type: .checkbox),
                FieldDefinition(name: "note", type: .textarea),
            ]
        )
        let first = form.validate(FormValues([("name", " Ann "), ("topics", "blue"), ("topics", "red"), ("note", "a\r\nb")]))
        #expect(first.isValid)
        #expect(first.values == ["name": ["Ann"], "topics": ["red", "blue"], "consent": ["false"], "note": ["a\nb"]])
        let second = form.validate(first.values)
        #expect(second.isValid)
        #expect(second.values == first.values)
    }

    // MARK: Messages

    @Test("Problems have stable codes and English messages")
    func messages() {
        #expect(FieldProblem.required.englishMessage == "This field is required.")
        #expect(FieldProblem.tooLong(maximum: 120).englishMessage == "Use at most 120 characters.")
        #expect(FieldProblem.tooShort(minimum: 1).englishMessage == "Use at least 1 character.")
        #expect(FieldProblem.belowMinimum("2026-01-01").englishMessage == "The lowest value allowed is 2026-01-01.")
        #expect(FieldProblem.stepMismatch("0.5").englishMessage == "Use a value in steps of 0.5.")
        #expect(FieldProblem.tooLong(maximum: 3).code == "tooLong")
        let all: [FieldProblem] = [
            .required, .tooShort(minimum: 2), .tooLong(maximum: 2), .patternMismatch, .invalidEmail, .invalidURL,
            .invalidTelephone, .invalidNumber, .belowMinimum("1"), .aboveMaximum("2"), .stepMismatch("3"),
            .invalidDate, .invalidTime, .notAnOption,
        ]
        #expect(Set(all.map(\.code)).count == all.count)
        #expect(all.allSatisfy { $0.englishMessage.hasSuffix(".") && $0.englishMessage.first?.isUppercase == true })
    }
}

/// Text that is not text (issue 12): control characters, bidirectional overrides and piles of
/// combining marks are refused with a clear problem.
@Suite("Characters a field refuses")
struct FieldCharacterTests {
    static func problem(_ field: FieldDefinition, _ value: String) -> FieldProblem? {
        FormValidationTests.problem(field, value)
    }

    @Test(
        "a single-line field refuses control characters (tab included) and bidi overrides",
        arguments: ["a\u{0}b", "a\u{1}b", "a\tb", "a\u{1B}[31mb", "a\u{7F}b", "abc\u{202E}fed", "x\u{2066}y\u{2069}", "a\rb"]
    )
    func singleLine(value: String) {
        #expect(Self.problem(FieldDefinition(name: "a"), value) == .invalidCharacters)
        #expect(Self.problem(FieldDefinition(name: "a", type: .email), value) == .invalidCharacters)
    }

    @Test("a textarea keeps tabs and line breaks but refuses other controls and bidi overrides")
    func textarea() {
        let notes = FieldDefinition(name: "notes", type: .textarea)
        #expect(Self.problem(notes, "line one\n\tline two\r\nthree") == nil)
        #expect(Self.problem(notes, "a\u{0}b") == .invalidCharacters)
        #expect(Self.problem(notes, "a\u{202D}b") == .invalidCharacters)
    }

    @Test("ordinary text from every script passes: accents, RTL text and marks, emoji sequences")
    func ordinaryText() {
        let field = FieldDefinition(name: "a", maxLength: 40)
        for value in ["José Ñúñez", "محمد \u{200F}الأحمد", "👩🏽‍💻 and 🇵🇹", "नमस्ते", "Zoë's café"] {
            #expect(Self.problem(field, value) == nil, "\(value)")
        }
    }

    @Test("maxLength holds in Unicode scalars too: two letters and 9,000 combining marks are too long")
    func combiningMarks() {
        let field = FieldDefinition(name: "a", maxLength: 100)
        let piled = "AB" + String(repeating: "\u{301}", count: 9_000)
        #expect(piled.count == 2)
        #expect(Self.problem(field, piled) == .tooLong(maximum: 100))
        #expect(Self.problem(field, String(repeating: "e\u{301}", count: 100)) == nil, "one accent per letter is fine")
    }

    static let hostilePieces: [String] = [
        "a", "Z", " ", "é", "\u{301}", "\u{0}", "\u{1}", "\u{1B}", "\u{7F}", "\t", "\n", "\r", "\u{202E}", "\u{2066}", "\u{200F}", "👍🏽",
        "<", "\"",
    ]
    static let hostileText = Gen.int(in: 0...(hostilePieces.count - 1)).map { hostilePieces[$0] }.array(of: 0...60).map { $0.joined() }

    @Test("whatever is posted, an accepted value holds no control character or bidi override, and fits its limits")
    func fuzzed() async {
        let single = FieldDefinition(name: "a", maxLength: 20)
        let multi = FieldDefinition(name: "b", type: .textarea, maxLength: 20)
        await propertyCheck(count: 3_000, input: Self.hostileText) { text in
            for field in [single, multi] {
                let validation = FormValidationTests.form(field).validate(FormValues(dictionary: [field.name: [text]]))
                guard validation.isValid, let value = validation.values[field.name].first else { continue }
                #expect(value.unicodeScalars.allSatisfy { FieldDefinition.isAllowed($0, multiline: field.type == .textarea) })
                #expect(value.count <= 20 && value.unicodeScalars.count <= 20 * FieldDefinition.scalarsPerCharacter)
            }
        }
    }
}
