import AlvariaModels
import Forms
import Testing

/// `verify:` and `expiresAfter:` are read with every key, get their defaults, and are refused
/// at start-up when wrong: a form must never open unverified because its `verify` was unreadable.
@Suite("Loading verify and expiresAfter")
struct VerificationLoadingTests {
    static let fullYAML = formYAML(
        extra: """
            verify:
              questions:
                - name: postcode
                  label: Your postcode
                  type: text
                  answer: context.postalCode
                  autocomplete: postal-code
                - name: birthday
                  label: Your date of birth
                  type: date
                  answer: context.person.birthDate
                  autocomplete: bday
              maxAttempts: 5
              lifetime: 2h
              lockedVariables: {formStatus: locked, reason: verification}
              help: "Can't confirm? Reply to our message and an agent will help."
            expiresAfter: 7d
            """
    )

    /// A valid `verify:` with one question and whatever else `lines` add (indented under verify).
    static func verifyYAML(
        _ lines: String = "",
        question: String = "name: postcode\n      label: Postcode\n      answer: context.postalCode"
    ) -> String {
        formYAML(extra: "verify:\n  questions:\n    - \(question)\n\(lines)")
    }

    @Test("Every key of verify and expiresAfter is read")
    func readsEveryKey() throws {
        let form = try loadForm(Self.fullYAML)
        let verification = try #require(form.verification)
        #expect(
            verification.questions == [
                Verification.Question(
                    name: "postcode",
                    label: "Your postcode",
                    kind: .text,
                    answerPath: "context.postalCode",
                    autocomplete: "postal-code"
                ),
                Verification.Question(
                    name: "birthday",
                    label: "Your date of birth",
                    kind: .date,
                    answerPath: "context.person.birthDate",
                    autocomplete: "bday"
                ),
            ]
        )
        #expect(verification.maxAttempts == 5)
        #expect(verification.lifetime == .seconds(7200))
        #expect(
            verification.lockedVariables == [
                OutcomeVariable(id: "formStatus", value: "locked"), OutcomeVariable(id: "reason", value: "verification"),
            ]
        )
        #expect(verification.help == "Can't confirm? Reply to our message and an agent will help.")
        #expect(form.expiresAfter == .seconds(7 * 86_400))
    }

    @Test("Left out, maxAttempts is 3, lifetime 30 minutes, the locked outcome formStatus=verificationFailed, and a question is text")
    func defaults() throws {
        let form = try loadForm(Self.verifyYAML())
        let verification = try #require(form.verification)
        #expect(verification.questions.map(\.kind) == [.text])
        #expect(verification.questions.first?.autocomplete == nil)
        #expect(verification.maxAttempts == 3)
        #expect(verification.lifetime == .seconds(1800))
        #expect(verification.lockedVariables == [OutcomeVariable(id: "formStatus", value: "verificationFailed")])
        #expect(verification.help == nil)
        #expect(form.expiresAfter == nil)
        #expect(Verification(questions: []).lockedVariables == verification.lockedVariables, "the initialiser has the same defaults")
    }

    @Test("A form without verify or expiresAfter has neither")
    func absent() throws {
        let form = try loadForm(formYAML())
        #expect(form.verification == nil)
        #expect(form.expiresAfter == nil)
    }

    @Test("Durations read as the configuration reads them: units, fractions and bare seconds")
    func durations() throws {
        let form = try loadForm(Self.verifyYAML("  lifetime: 1.5h\nexpiresAfter: 1800"))
        #expect(form.verification?.lifetime == .seconds(5400))
        #expect(form.expiresAfter == .seconds(1800))
        #expect(try loadForm(formYAML(extra: "expiresAfter: 90d")).expiresAfter == .seconds(90 * 86_400))
        #expect(try loadForm(Self.verifyYAML("  lifetime: 24 H")).verification?.lifetime == .seconds(86_400))
    }

    /// One broken file and the exact lines it must produce.
    struct Case: Sendable, CustomTestStringConvertible {
        let about: String
        let yaml: String
        let expected: [String]
        var testDescription: String { about }
    }

    static let cases: [Case] = [
        Case(
            about: "unknown keys under verify and under a question",
            yaml: verifyYAML("      anwser: x\n  maxAttempt: 3"),
            expected: [
                "form.yaml: verify: unknown key \"maxAttempt\" (did you mean \"maxAttempts\"?)",
                "form.yaml: verify.questions.postcode: unknown key \"anwser\" (did you mean \"answer\"?)",
            ]
        ),
        Case(
            about: "no questions",
            yaml: formYAML(extra: "verify:\n  questions: []"),
            expected: ["form.yaml: verify.questions: give one or two questions, not 0"]
        ),
        Case(
            about: "verify without questions",
            yaml: formYAML(extra: "verify:\n  help: Call us"),
            expected: ["form.yaml: verify.questions: give one or two questions, not 0"]
        ),
        Case(
            about: "three questions",
            yaml: formYAML(
                extra: "verify:\n  questions:\n" + ["a", "b", "c"].map { "    - {name: \($0), label: L, answer: context.\($0)}\n" }.joined()
            ),
            expected: ["form.yaml: verify.questions: give one or two questions, not 3"]
        ),
        Case(
            about: "a question without a name, and one with a name the page uses",
            yaml: formYAML(extra: "verify:\n  questions:\n    - {label: A, answer: context.a}\n    - {name: _token, label: B, answer: context.b}"),
            expected: [
                "form.yaml: verify.questions: question 1 has no name",
                "form.yaml: verify.questions._token: the name is reserved for the page (_action, _lang, _token)",
            ]
        ),
        Case(
            about: "question names unfit for a form field",
            yaml: formYAML(
                extra: "verify:\n  questions:\n    - {name: 1st, label: A, answer: context.a}\n    - {name: 1st, label: B, answer: context.b}"
            ),
            expected: [
                "form.yaml: verify.questions.1st: the name is unfit for a form field (use a letter, then up to 63 letters, digits, _ or -)",
                "form.yaml: verify.questions.1st: the name is unfit for a form field (use a letter, then up to 63 letters, digits, _ or -)",
            ]
        ),
        Case(
            about: "two questions with the same name",
            yaml: formYAML(
                extra: "verify:\n  questions:\n    - {name: a, label: A, answer: context.a}\n    - {name: a, label: B, answer: context.b}"
            ),
            expected: ["form.yaml: verify.questions.a: another question is already named \"a\""]
        ),
        Case(
            about: "labels and answers missing or wrong, autocomplete that is no token",
            yaml: formYAML(
                extra: """
                    verify:
                      questions:
                        - name: a
                          answer: postalCode
                          autocomplete: "postal_code"
                        - name: b
                          label: " "
                    """
            ),
            expected: [
                "form.yaml: verify.questions.a: a question needs a label",
                "form.yaml: verify.questions.a: answer \"postalCode\" must be a path into the context, like context.postalCode",
                "form.yaml: verify.questions.a: autocomplete \"postal_code\" must be a token like postal-code or bday (letters, digits, - and spaces)",
                "form.yaml: verify.questions.b: a question needs a label",
                "form.yaml: verify.questions.b: a question needs an answer: where the expected answer is in the context, like context.postalCode",
            ]
        ),
        Case(
            about: "answers that are not context paths",
            yaml: formYAML(
                extra: "verify:\n  questions:\n    - {name: a, label: A, answer: context.}\n    - {name: b, label: B, answer: context..b}"
            ),
            expected: [
                "form.yaml: verify.questions.a: answer \"context.\" must be a path into the context, like context.postalCode",
                "form.yaml: verify.questions.b: answer \"context..b\" must be a path into the context, like context.postalCode",
            ]
        ),
        Case(
            about: "unknown answer types, with a suggestion when one is close",
            yaml: formYAML(
                extra:
                    "verify:\n  questions:\n    - {name: a, label: A, type: digit, answer: context.a}\n    - {name: b, label: B, type: number, answer: context.b}"
            ),
            expected: [
                "form.yaml: verify.questions.a: unknown type \"digit\" (did you mean \"digits\"?)",
                "form.yaml: verify.questions.b: unknown type \"number\" (expected one of text, digits, date)",
            ]
        ),
        Case(
            about: "a question that is not a mapping",
            yaml: formYAML(extra: "verify:\n  questions: [postcode]"),
            expected: [
                "form.yaml: verify.questions: question 1 must be a mapping of name, label, type and answer",
                "form.yaml: verify.questions: give one or two questions, not 0",
            ]
        ),
        Case(
            about: "maxAttempts out of range",
            yaml: verifyYAML("  maxAttempts: 0"),
            expected: ["form.yaml: verify.maxAttempts must be from 1 to 10, not 0"]
        ),
        Case(
            about: "maxAttempts too many",
            yaml: verifyYAML("  maxAttempts: 11"),
            expected: ["form.yaml: verify.maxAttempts must be from 1 to 10, not 11"]
        ),
        Case(
            about: "maxAttempts that is not a number",
            yaml: verifyYAML("  maxAttempts: three"),
            expected: ["form.yaml: verify.maxAttempts must be a whole number, not \"three\""]
        ),
        Case(
            about: "lifetime too short",
            yaml: verifyYAML("  lifetime: 30s"),
            expected: ["form.yaml: verify.lifetime must be from 1m to 24h, not 30s"]
        ),
        Case(
            about: "lifetime too long",
            yaml: verifyYAML("  lifetime: 2d"),
            expected: ["form.yaml: verify.lifetime must be from 1m to 24h, not 2d"]
        ),
        Case(
            about: "lifetime that is not a duration",
            yaml: verifyYAML("  lifetime: soon"),
            expected: ["form.yaml: verify.lifetime: \"soon\" is not a duration like 30m, 12h or 7d"]
        ),
        Case(
            about: "locked variables given empty",
            yaml: verifyYAML("  lockedVariables: {}"),
            expected: [
                "form.yaml: verify.lockedVariables: the locked outcome needs at least one variable, so the CX script can tell it from a submission"
            ]
        ),
        Case(
            about: "locked variables with an unfit id or a value that is no single value",
            yaml: verifyYAML("  lockedVariables: {\"form status\": locked, list: [1], ok: yes}"),
            expected: [
                "form.yaml: verify.lockedVariables: \"list\" must be a single value (text, number or true/false), not a list or mapping",
                "form.yaml: verify.lockedVariables: variable \"form status\" is unfit for Alvaria (it must not be empty or contain spaces)",
            ]
        ),
        Case(
            about: "locked variables that are not a mapping",
            yaml: verifyYAML("  lockedVariables: [formStatus]"),
            expected: ["form.yaml: verify.lockedVariables must be a mapping (key: value lines)"]
        ),
        Case(
            about: "keys written with no value",
            yaml: verifyYAML("  maxAttempts:\n  lifetime:\n  lockedVariables:\nexpiresAfter:"),
            expected: [
                "form.yaml: verify.maxAttempts has no value (give one, or leave verify.maxAttempts out)",
                "form.yaml: verify.lockedVariables has no value (give one, or leave verify.lockedVariables out)",
                "form.yaml: verify.lifetime has no value (give one, or leave verify.lifetime out)",
                "form.yaml: expiresAfter has no value (give one, or leave expiresAfter out)",
            ]
        ),
        Case(
            about: "verify written with no value",
            yaml: formYAML(extra: "verify:"),
            expected: ["form.yaml: verify has no value (give one, or leave verify out)"]
        ),
        Case(
            about: "verify that is not a mapping",
            yaml: formYAML(extra: "verify: yes"),
            expected: ["form.yaml: verify must be a mapping (key: value lines)"]
        ),
        Case(
            about: "empty help",
            yaml: verifyYAML("  help: \" \""),
            expected: ["form.yaml: verify.help must not be empty"]
        ),
        Case(
            about: "expiresAfter too short",
            yaml: formYAML(extra: "expiresAfter: 30s"),
            expected: ["form.yaml: expiresAfter must be from 1m to 90d, not 30s"]
        ),
        Case(
            about: "expiresAfter too long, in hours",
            yaml: formYAML(extra: "expiresAfter: 2161h"),
            expected: ["form.yaml: expiresAfter must be from 1m to 90d, not 2161h"]
        ),
        Case(
            about: "expiresAfter that is not a duration",
            yaml: formYAML(extra: "expiresAfter: later"),
            expected: ["form.yaml: expiresAfter: \"later\" is not a duration like 30m, 12h or 7d"]
        ),
        Case(
            about: "expiresAfter that is a list",
            yaml: formYAML(extra: "expiresAfter: [30m]"),
            expected: ["form.yaml: expiresAfter must be a single value, not a list"]
        ),
    ]

    @Test("A broken verify or expiresAfter is refused with the place and the reason", arguments: cases)
    func brokenVerificationIsRefused(_ testCase: Case) {
        #expect(problems(in: testCase.yaml).map(\.description) == testCase.expected)
    }

    @Test("A form built in code gets the same checks, with its limits written as a form file writes them")
    func builtInCode() {
        let question = Verification.Question(name: "code", label: "Code", kind: .digits, answerPath: "context.code")
        var form = FormDefinition(id: "built", title: "Built", fields: [FieldDefinition(name: "a")])
        form.verification = Verification(questions: [question], maxAttempts: 3, lifetime: .milliseconds(1500), lockedVariables: [])
        form.expiresAfter = .seconds(90 * 86_400 + 1)
        #expect(
            catalogReasons(form) == [
                "expiresAfter must be from 1m to 90d, not 7776001s",
                "verify.lifetime must be from 1m to 24h, not 1500ms",
                "verify.lockedVariables: the locked outcome needs at least one variable, so the CX script can tell it from a submission",
            ]
        )
    }

    private func catalogReasons(_ form: FormDefinition) -> [String] {
        do {
            _ = try FormCatalog(forms: [form])
            return []
        } catch {
            return error.problems.map(\.reason)
        }
    }
}
