import Forms
import Foundation
import Testing

/// `steps:`: a form shown one screen at a time. Its fields are flattened into `fields`, and every
/// mistake in a step is refused at start-up like any other.
@Suite("Loading multi-step forms")
struct FormStepLoadingTests {
    static let claim = """
        id: claim
        title: Claim
        steps:
          - id: incident
            title: What happened
            intro: "Hi {{context.name}}"
            fields:
              - name: kind
                type: radio
                required: true
                options: [damage, theft]
              - name: stolenItem
                required: true
                showIf: {field: kind, equals: theft}
          - id: details
            title: Details
            fields:
              - name: police
                type: radio
                required: true
                options: ["yes", "no"]
              - name: reference
                required: true
                showIf: {field: police, equals: "yes"}
              - name: amount
                type: number
                required: true
                showIf: {field: kind, equals: theft}
              - name: customerId
                type: hidden
                prefill: context.customerId
          - id: contact
            title: How to reach you
            fields:
              - name: email
                type: email
                required: true
        outcome:
          variables: {formStatus: completed}
          submittedAt: submittedAt
        translations:
          es:
            title: Siniestro
            steps:
              incident: {title: Qué pasó, intro: "Hola {{context.name}}"}
              details: {title: Detalles}
            fields:
              email: {label: Correo electrónico}
        """

    /// A valid multi-step form around the given `steps:` items (indented by two spaces) and
    /// extra top-level YAML.
    static func steppedYAML(_ steps: String, extra: String = "") -> String {
        """
        id: test-form
        title: Test form
        steps:
        \(steps)
        \(extra)
        """
    }

    @Test("A multi-step form loads its steps in order, each with its run of the flattened fields")
    func loadsSteps() throws {
        let form = try loadForm(Self.claim)
        #expect(form.isMultiStep)
        #expect(form.steps.map(\.id) == ["incident", "details", "contact"])
        #expect(form.steps.map(\.title) == ["What happened", "Details", "How to reach you"])
        #expect(form.steps.map(\.intro) == ["Hi {{context.name}}", nil, nil])
        #expect(form.steps.map(\.fieldRange) == [0..<2, 2..<6, 6..<7])
        #expect(form.fields.map(\.name) == ["kind", "stolenItem", "police", "reference", "amount", "customerId", "email"])
        #expect(form.field(named: "amount")?.showIf == FieldCondition(field: "kind", values: ["theft"]), "a showIf on an earlier step's field")
    }

    @Test("Steps are found by id, by the fields they hold, and give their fields in order")
    func looksUpSteps() throws {
        let form = try loadForm(Self.claim)
        let details = try #require(form.step(id: "details"))
        #expect(details.index == 1 && details.step.id == "details")
        #expect(form.step(id: "review") == nil && form.step(id: "Details") == nil)
        #expect(form.fields(of: details.step).map(\.name) == ["police", "reference", "amount", "customerId"])
        #expect(form.step(holding: "kind")?.id == "incident")
        #expect(form.step(holding: "customerId")?.id == "details")
        #expect(form.step(holding: "email")?.id == "contact")
        #expect(form.step(holding: "nowhere") == nil)
    }

    @Test("A form with fields: is a single page: no steps, and no step holds its fields")
    func singlePageFormHasNoSteps() throws {
        let form = try loadForm(formYAML())
        #expect(!form.isMultiStep)
        #expect(form.steps.isEmpty)
        #expect(form.step(holding: "street") == nil)
    }

    @Test("Whole-form rules work on the flattened fields: outcome order, sensitive variables")
    func wholeFormRulesSeeEveryStep() throws {
        let form = try loadForm(
            Self.steppedYAML(
                """
                  - id: one
                    title: One
                    fields:
                      - name: pin
                        sensitive: true
                  - id: two
                    title: Two
                    fields:
                      - name: street
                """
            )
        )
        #expect(form.sensitiveVariables == ["pin"])
        let validation = form.validate(["pin": ["1234"], "street": ["Main St"]])
        #expect(validation.isValid)
        #expect(form.outcomeVariables(for: validation.values, submittedAt: .now).map(\.id) == ["pin", "street"])
    }

    /// One broken file and the exact lines it must produce.
    struct Case: Sendable, CustomTestStringConvertible {
        let about: String
        let yaml: String
        let expected: [String]
        var testDescription: String { about }
    }

    static let oneStep = "  - id: one\n    title: One\n    fields:\n      - name: a\n"
    static let unfitId = "is unfit for a URL (use 1–64 of a-z, 0-9 and -, starting with a letter or digit)"

    static let cases: [Case] = [
        Case(
            about: "fields and steps both",
            yaml: steppedYAML(oneStep, extra: "fields:\n  - name: b\ntranslations:\n  es: {fields: {b: {label: B}}}"),
            expected: ["form.yaml: fields and steps cannot both be given: a form with steps lists its fields under each step"]
        ),
        Case(
            about: "an empty list of steps",
            yaml: "id: a\ntitle: A\nsteps: []\n",
            expected: ["form.yaml: steps: a form needs at least one step"]
        ),
        Case(
            about: "steps with no value",
            yaml: "id: a\ntitle: A\nsteps:\n",
            expected: ["form.yaml: steps: a form needs at least one step"]
        ),
        Case(
            about: "steps that are not a list",
            yaml: "id: a\ntitle: A\nsteps: {one: two}\n",
            expected: ["form.yaml: steps must be a list"]
        ),
        Case(
            about: "a step that is not a mapping",
            yaml: steppedYAML("  - one\n" + oneStep),
            expected: ["form.yaml: steps: step 1 must be a mapping of id, title and fields"]
        ),
        Case(
            about: "a step without id, title or fields",
            yaml: steppedYAML(
                oneStep + "  - title: Two\n    fields:\n      - name: b\n  - id: three\n    fields:\n      - name: c\n  - id: four\n    title: Four\n"
            ),
            expected: [
                "form.yaml: steps.2: missing id",
                "form.yaml: steps.three: missing title",
                "form.yaml: steps.four: a step needs at least one field",
            ]
        ),
        Case(
            about: "a step with an empty list of fields, and one whose fields are not a list",
            yaml: steppedYAML(oneStep + "  - id: two\n    title: Two\n    fields: []\n  - id: three\n    title: Three\n    fields: c\n"),
            expected: [
                "form.yaml: steps.three.fields must be a list",
                "form.yaml: steps.two: a step needs at least one field",
            ]
        ),
        Case(
            about: "a step whose only field cannot be read is not said to have no fields",
            yaml: steppedYAML(oneStep + "  - id: two\n    title: Two\n    fields:\n      - label: B\n"),
            expected: ["form.yaml: steps.two.fields: field 1 has no name"]
        ),
        Case(
            about: "step ids unfit for a URL, duplicated, or the review screen's",
            yaml: steppedYAML(
                oneStep
                    + "  - id: Step Two\n    title: Two\n    fields:\n      - name: b\n"
                    + "  - id: one\n    title: Again\n    fields:\n      - name: c\n"
                    + "  - id: review\n    title: Review\n    fields:\n      - name: d\n"
            ),
            expected: [
                "form.yaml: steps.Step Two: id \"Step Two\" \(unfitId)",
                "form.yaml: steps.one: duplicate step id: another step is already called \"one\"",
                "form.yaml: steps.review: the id \"review\" is reserved for the review screen",
            ]
        ),
        Case(
            about: "a step with only hidden fields",
            yaml: steppedYAML(oneStep + "  - id: two\n    title: Two\n    fields:\n      - name: b\n        type: hidden\n        value: x\n"),
            expected: ["form.yaml: steps.two: a step needs at least one field a person can fill in, not only hidden ones"]
        ),
        Case(
            about: "the same field name on two steps",
            yaml: steppedYAML(oneStep + "  - id: two\n    title: Two\n    fields:\n      - name: a\n        variable: other\n"),
            expected: ["form.yaml: field \"a\": duplicate field name: another field is already named \"a\""]
        ),
        Case(
            about: "the same variable on two steps",
            yaml: steppedYAML(oneStep + "  - id: two\n    title: Two\n    fields:\n      - name: b\n        variable: a\n"),
            expected: ["form.yaml: field \"b\": variable \"a\" is already used by field \"a\""]
        ),
        Case(
            about: "a showIf on a later step's field",
            yaml: steppedYAML(
                "  - id: one\n    title: One\n    fields:\n      - name: a\n        showIf: {field: b, equals: x}\n"
                    + "  - id: two\n    title: Two\n    fields:\n      - name: b\n"
            ),
            expected: ["form.yaml: field \"a\": showIf: field \"b\" is on a later step (\"two\")"]
        ),
        Case(
            about: "a showIf on a later field of the same step",
            yaml: steppedYAML("  - id: one\n    title: One\n    fields:\n      - name: a\n        showIf: {field: b, equals: x}\n      - name: b\n"),
            expected: ["form.yaml: field \"a\": showIf: field \"b\" must come before this one"]
        ),
        Case(
            about: "an unknown key in a step, with a suggestion",
            yaml: steppedYAML("  - id: one\n    titel: One\n    fields:\n      - name: a\n"),
            expected: [
                "form.yaml: steps.one: unknown key \"titel\" (did you mean \"title\"?)",
                "form.yaml: steps.one: missing title",
            ]
        ),
        Case(
            about: "a step intro with unescaped Mustache output",
            yaml: steppedYAML("  - id: one\n    title: One\n    intro: \"Hi {{{context.name}}}\"\n    fields:\n      - name: a\n"),
            expected: [
                "form.yaml: steps.one.intro: unescaped Mustache output is not allowed ({{{…}}} and {{&…}} would put context values in the page unescaped)"
            ]
        ),
        Case(
            about: "step translations of an unknown step, with an empty title, a broken intro or an unknown key",
            yaml: steppedYAML(
                oneStep,
                extra: """
                    translations:
                      es:
                        steps:
                          once: {title: Uno}
                          one: {title: " ", intro: "Hola {{#context.name}}", colour: rojo}
                    """
            ),
            expected: [
                "form.yaml: translations.es.steps.one: unknown key \"colour\"",
                "form.yaml: translations.es.steps: unknown step \"once\" (did you mean \"one\"?)",
                "form.yaml: translations.es.steps.one.title must not be empty",
                "form.yaml: translations.es.steps.one.intro: Mustache template does not compile: a section is opened but never closed (line 1, column 23)",
            ]
        ),
        Case(
            about: "step translations on a form without steps",
            yaml: formYAML(extra: "translations:\n  es: {steps: {one: {title: Uno}}}"),
            expected: ["form.yaml: translations.es.steps: unknown step \"one\""]
        ),
    ]

    @Test("A broken multi-step form is refused with the file, the step or field, and the reason", arguments: cases)
    func brokenFileIsRefused(_ testCase: Case) {
        #expect(problems(in: testCase.yaml).map(\.description) == testCase.expected)
    }

    @Test("Steps built in code must cover every field once, in order")
    func stepsBuiltInCodeCoverTheFields() {
        let fields = [FieldDefinition(name: "a"), FieldDefinition(name: "b")]
        for steps in [
            [FormStep(id: "one", title: "One", fieldRange: 0..<1)],
            [FormStep(id: "one", title: "One", fieldRange: 0..<2), FormStep(id: "two", title: "Two", fieldRange: 1..<2)],
            [FormStep(id: "one", title: "One", fieldRange: 1..<2), FormStep(id: "two", title: "Two", fieldRange: 0..<1)],
        ] {
            let error = #expect(throws: FormLoadError.self) {
                try FormCatalog(forms: [FormDefinition(id: "f", title: "F", fields: fields, steps: steps)])
            }
            #expect(error?.problems.map(\.reason).contains("steps: the steps' field ranges must cover every field once, in order") == true)
        }
        let form = FormDefinition(id: "f", title: "F", fields: fields, steps: [FormStep(id: "one", title: "One", fieldRange: 1..<5)])
        #expect(form.fields(of: form.steps[0]).map(\.name) == ["b"], "a range past the fields is clamped, not a crash")
        #expect(throws: Never.self) {
            try FormCatalog(forms: [
                FormDefinition(
                    id: "f",
                    title: "F",
                    fields: fields,
                    steps: [FormStep(id: "one", title: "One", fieldRange: 0..<1), FormStep(id: "two", title: "Two", fieldRange: 1..<2)]
                )
            ])
        }
    }
}
