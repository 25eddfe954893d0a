import Forms
import Testing

/// Every way a form file can be wrong is refused at start-up, naming the file, the field and
/// the reason.
@Suite("Loading form files")
struct FormDefinitionLoadingTests {
    /// One broken file and the exact lines it must produce.
    struct Case: Sendable, CustomTestStringConvertible {
        let about: String
        let yaml: String
        let expected: [String]
        var testDescription: String { about }
    }

    static let types = "text, textarea, email, tel, url, number, date, time, select, radio, checkbox, checkboxes, hidden, file"

    static let cases: [Case] = [
        Case(
            about: "unknown top-level key, with a suggestion, and the title it hid is missing",
            yaml: "id: a\ntitel: A\nfields:\n  - name: x\n",
            expected: [
                "form.yaml: unknown key \"titel\" (did you mean \"title\"?)",
                "form.yaml: missing title",
            ]
        ),
        Case(
            about: "unknown field key",
            yaml: formYAML(fields: "  - name: street\n    requird: true"),
            expected: ["form.yaml: field \"street\": unknown key \"requird\" (did you mean \"required\"?)"]
        ),
        Case(
            about: "unknown key without a near match",
            yaml: formYAML(fields: "  - name: street\n    colour: red"),
            expected: ["form.yaml: field \"street\": unknown key \"colour\""]
        ),
        Case(
            about: "missing id, title and fields",
            yaml: "intro: hello\n",
            expected: [
                "form.yaml: missing id", "form.yaml: missing title",
                "form.yaml: fields: a form needs at least one field",
            ]
        ),
        Case(
            about: "id unfit for a URL",
            yaml: formYAML(id: "Address Update"),
            expected: [
                "form.yaml: id \"Address Update\" is unfit for a URL (use 1–64 of a-z, 0-9 and -, starting with a letter or digit)"
            ]
        ),
        Case(
            about: "id starting with a dash",
            yaml: formYAML(id: "-address"),
            expected: [
                "form.yaml: id \"-address\" is unfit for a URL (use 1–64 of a-z, 0-9 and -, starting with a letter or digit)"
            ]
        ),
        Case(
            about: "field name unfit",
            yaml: formYAML(fields: "  - name: 1street"),
            expected: [
                "form.yaml: field \"1street\": the name is unfit for a form field (use a letter, then up to 63 letters, digits, _ or -)"
            ]
        ),
        Case(
            about: "field without a name",
            yaml: formYAML(fields: "  - name: street\n  - label: Street"),
            expected: ["form.yaml: field 2 has no name"]
        ),
        Case(
            about: "duplicate field name",
            yaml: formYAML(fields: "  - name: street\n  - name: street\n    variable: other"),
            expected: ["form.yaml: field \"street\": duplicate field name: another field is already named \"street\""]
        ),
        Case(
            about: "duplicate variable between fields",
            yaml: formYAML(fields: "  - name: street\n  - name: road\n    variable: street"),
            expected: ["form.yaml: field \"road\": variable \"street\" is already used by field \"street\""]
        ),
        Case(
            about: "duplicate variable between a field and a fixed variable",
            yaml: formYAML(extra: "outcome:\n  variables: {street: x}"),
            expected: ["form.yaml: outcome.variables: variable \"street\" is already used by field \"street\""]
        ),
        Case(
            about: "duplicate variable between submittedAt and a fixed variable",
            yaml: formYAML(extra: "outcome:\n  variables: {when: x}\n  submittedAt: when"),
            expected: ["form.yaml: outcome.submittedAt: variable \"when\" is already used by outcome.variables"]
        ),
        Case(
            about: "an unknown type far from every type lists the valid ones",
            yaml: formYAML(fields: "  - name: street\n  - name: other\n    type: colour"),
            expected: ["form.yaml: field \"other\": unknown type \"colour\" (expected one of \(types))"]
        ),
        Case(
            about: "an unknown type close to one suggests it instead",
            yaml: formYAML(fields: "  - name: street\n  - name: other\n    type: txt"),
            expected: ["form.yaml: field \"other\": unknown type \"txt\" (did you mean \"text\"?)"]
        ),
        Case(
            about: "pattern that is not a regular expression",
            yaml: formYAML(fields: "  - name: street\n    pattern: \"[a-\""),
            expected: ["form.yaml: field \"street\": pattern \"[a-\" is not a valid regular expression"]
        ),
        Case(
            about: "pattern that only compiles once wrapped",
            yaml: formYAML(fields: "  - name: street\n    pattern: \"a)(b\""),
            expected: ["form.yaml: field \"street\": pattern \"a)(b\" is not a valid regular expression"]
        ),
        Case(
            about: "select, radio and checkboxes without options",
            yaml: formYAML(fields: "  - name: a\n    type: select\n  - name: b\n    type: radio\n  - name: c\n    type: checkboxes\n    options: []"),
            expected: [
                "form.yaml: field \"a\": a select field needs options",
                "form.yaml: field \"b\": a radio field needs options",
                "form.yaml: field \"c\": a checkboxes field needs options",
            ]
        ),
        Case(
            about: "duplicate option values",
            yaml: formYAML(fields: "  - name: a\n    type: select\n    options: [x, {value: x, label: Again}]"),
            expected: ["form.yaml: field \"a\": duplicate option value \"x\""]
        ),
        Case(
            about: "empty option value and an option map without a value",
            yaml: formYAML(fields: "  - name: a\n    type: radio\n    options: [\"\", {label: Nothing}]"),
            expected: [
                "form.yaml: field \"a\": option 2 has no value",
                "form.yaml: field \"a\": option values must not be empty (an unanswered field is sent as \"\")",
            ]
        ),
        Case(
            about: "checkbox option with a comma",
            yaml: formYAML(fields: "  - name: a\n    type: checkboxes\n    options: [\"x,y\"]"),
            expected: ["form.yaml: field \"a\": option value \"x,y\" cannot contain a comma: checkboxes are sent joined with \",\""]
        ),
        Case(
            about: "minLength greater than maxLength",
            yaml: formYAML(fields: "  - name: a\n    minLength: 10\n    maxLength: 5"),
            expected: ["form.yaml: field \"a\": minLength 10 is more than maxLength 5"]
        ),
        Case(
            about: "minLength greater than the default maxLength",
            yaml: formYAML(fields: "  - name: a\n    minLength: 501"),
            expected: ["form.yaml: field \"a\": minLength 501 is more than the default maxLength 500"]
        ),
        Case(
            about: "lengths that are not whole numbers or out of range",
            yaml: formYAML(fields: "  - name: a\n    minLength: -1\n    maxLength: many"),
            expected: [
                "form.yaml: field \"a\": maxLength must be a whole number, not \"many\"",
                "form.yaml: field \"a\": minLength must be 0 or more",
            ]
        ),
        Case(
            about: "min greater than max, for numbers, dates and times",
            yaml: formYAML(
                fields: """
                      - name: a
                        type: number
                        min: 10
                        max: 9.5
                      - name: b
                        type: date
                        min: 2026-02-01
                        max: 2026-01-31
                      - name: c
                        type: time
                        min: "18:00"
                        max: "09:00"
                    """
            ),
            expected: [
                "form.yaml: field \"a\": min 10 is greater than max 9.5",
                "form.yaml: field \"b\": min 2026-02-01 is greater than max 2026-01-31",
                "form.yaml: field \"c\": min 18:00 is greater than max 09:00",
            ]
        ),
        Case(
            about: "min, max and step that are not numbers on a number field",
            yaml: formYAML(fields: "  - name: a\n    type: number\n    min: 1e3\n    max: ten\n    step: NaN"),
            expected: [
                "form.yaml: field \"a\": min \"1e3\" is not a number (like 10 or 2.5)",
                "form.yaml: field \"a\": max \"ten\" is not a number (like 10 or 2.5)",
                "form.yaml: field \"a\": step \"NaN\" is not a number (like 10 or 2.5)",
            ]
        ),
        Case(
            about: "min and max that are not dates on a date field, including a day that does not exist",
            yaml: formYAML(fields: "  - name: a\n    type: date\n    min: 01/02/2026\n    max: 2026-02-30"),
            expected: [
                "form.yaml: field \"a\": min \"01/02/2026\" is not a date (YYYY-MM-DD)",
                "form.yaml: field \"a\": max \"2026-02-30\" is not a date (YYYY-MM-DD)",
            ]
        ),
        Case(
            about: "min and max that are not times on a time field",
            yaml: formYAML(fields: "  - name: a\n    type: time\n    min: 8am\n    max: \"24:00\""),
            expected: [
                "form.yaml: field \"a\": min \"8am\" is not a time (HH:MM)",
                "form.yaml: field \"a\": max \"24:00\" is not a time (HH:MM)",
            ]
        ),
        Case(
            about: "step of zero or less",
            yaml: formYAML(fields: "  - name: a\n    type: number\n    step: 0\n  - name: b\n    type: number\n    step: -1"),
            expected: [
                "form.yaml: field \"a\": step must be greater than 0",
                "form.yaml: field \"b\": step must be greater than 0",
            ]
        ),
        Case(
            about: "constraints that do not apply to the type",
            yaml: formYAML(
                fields: """
                      - name: a
                        type: text
                        options: [x]
                        min: 1
                      - name: b
                        type: checkbox
                        pattern: "x"
                        maxLength: 3
                        placeholder: tick
                      - name: c
                        type: hidden
                        required: true
                        help: invisible
                      - name: d
                        type: date
                        step: 7
                      - name: e
                        type: textarea
                        pattern: ".*"
                      - name: f
                        type: radio
                        options: [x]
                        autocomplete: off
                    """
            ),
            expected: [
                "form.yaml: field \"a\": min does not apply to type text",
                "form.yaml: field \"a\": options does not apply to type text",
                "form.yaml: field \"b\": maxLength does not apply to type checkbox",
                "form.yaml: field \"b\": pattern does not apply to type checkbox",
                "form.yaml: field \"b\": placeholder does not apply to type checkbox",
                "form.yaml: field \"c\": required does not apply to type hidden",
                "form.yaml: field \"c\": help does not apply to type hidden",
                "form.yaml: field \"d\": step does not apply to type date",
                "form.yaml: field \"e\": pattern does not apply to type textarea",
                "form.yaml: field \"f\": autocomplete does not apply to type radio",
            ]
        ),
        Case(
            about: "value and prefill both set",
            yaml: formYAML(fields: "  - name: a\n    value: x\n    prefill: context.a"),
            expected: ["form.yaml: field \"a\": value and prefill cannot both be set (value is a literal, prefill reads the context)"]
        ),
        Case(
            about: "prefill that is not a context path",
            yaml: formYAML(
                fields: "  - name: a\n    prefill: customer.street\n  - name: b\n    prefill: context.\n  - name: c\n    prefill: context"
            ),
            expected: [
                "form.yaml: field \"a\": prefill \"customer.street\" must be a path into the context, like context.street",
                "form.yaml: field \"b\": prefill \"context.\" must be a path into the context, like context.street",
                "form.yaml: field \"c\": prefill \"context\" must be a path into the context, like context.street",
            ]
        ),
        Case(
            about: "a literal value that would not pass validation",
            yaml: formYAML(
                fields: """
                      - name: a
                        type: select
                        options: [x]
                        value: y
                      - name: b
                        type: hidden
                        maxLength: 2
                        value: abc
                      - name: c
                        type: checkbox
                        value: maybe
                    """
            ),
            expected: [
                "form.yaml: field \"a\": value \"y\" would not pass validation: Choose one of the options offered.",
                "form.yaml: field \"b\": value \"abc\" would not pass validation: Use at most 2 characters.",
                "form.yaml: field \"c\": value \"maybe\" would not pass validation: Choose one of the options offered.",
            ]
        ),
        Case(
            about: "translations of unknown fields and options, and a decline label without decline",
            yaml: formYAML(
                fields: "  - name: street\n  - name: kind\n    type: select\n    options: [a]",
                extra: """
                    translations:
                      es:
                        declineLabel: No
                        fields:
                          strete: {label: Calle}
                          kind: {options: {a: A, b: B}}
                          street: {placeholder: Calle 1, colour: rojo}
                    """
            ),
            expected: [
                "form.yaml: translations.es.fields.street: unknown key \"colour\"",
                "form.yaml: translations.es.declineLabel: the form has no decline button",
                "form.yaml: field \"kind\": translations.es: unknown option \"b\"",
                "form.yaml: translations.es.fields: unknown field \"strete\" (did you mean \"street\"?)",
            ]
        ),
        Case(
            about: "empty translated texts",
            yaml: formYAML(extra: "translations:\n  es: {title: \"\", fields: {street: {label: \" \"}}}"),
            expected: [
                "form.yaml: translations.es.title must not be empty",
                "form.yaml: field \"street\": translations.es: labels must not be empty",
            ]
        ),
        Case(
            about: "a translation under something that is not a language code",
            yaml: formYAML(extra: "translations:\n  spanish: {title: Hola}"),
            expected: ["form.yaml: translations.spanish: \"spanish\" is not a language code like es or es-MX"]
        ),
        Case(
            about: "fixed variable values that are not scalar, or empty",
            yaml: formYAML(extra: "outcome:\n  variables:\n    a: [1, 2]\n    b: {c: d}\n    e:\n    f: ok"),
            expected: [
                "form.yaml: outcome.variables: \"a\" must be a single value (text, number or true/false), not a list or mapping",
                "form.yaml: outcome.variables: \"b\" must be a single value (text, number or true/false), not a list or mapping",
                "form.yaml: outcome.variables: \"e\" has no value (write \"\" for an empty one)",
            ]
        ),
        Case(
            about: "a decline without variables",
            yaml: formYAML(extra: "decline:\n  label: No thanks"),
            expected: ["form.yaml: decline.variables: a decline needs at least one variable, so the CX script can tell it from a submission"]
        ),
        Case(
            about: "unescaped Mustache output in the intro",
            yaml: formYAML(extra: "intro: \"Hi {{{context.name}}}\""),
            expected: [
                "form.yaml: intro: unescaped Mustache output is not allowed ({{{…}}} and {{&…}} would put context values in the page unescaped)"
            ]
        ),
        Case(
            about: "ampersand Mustache output in a translated intro",
            yaml: formYAML(extra: "translations:\n  es: {intro: \"Hola {{&context.name}}\"}"),
            expected: [
                "form.yaml: translations.es.intro: unescaped Mustache output is not allowed ({{{…}}} and {{&…}} would put context values in the page unescaped)"
            ]
        ),
        Case(
            about: "a Mustache pragma that would switch escaping off",
            yaml: formYAML(extra: "intro: \"{{% CONTENT_TYPE: TEXT}}Hi {{context.name}}\""),
            expected: ["form.yaml: intro: Mustache pragmas ({{%…}}) are not allowed: they can switch escaping off"]
        ),
        Case(
            about: "changed Mustache delimiters",
            yaml: formYAML(extra: "intro: \"{{=<% %>=}}Hi <%{context.name}%>\""),
            expected: ["form.yaml: intro: changing the Mustache delimiters ({{=…=}}) is not allowed"]
        ),
        Case(
            about: "a Mustache partial",
            yaml: formYAML(extra: "intro: \"{{> header}}\""),
            expected: ["form.yaml: intro: Mustache partials and blocks ({{>…}}, {{<…}}, {{$…}}) are not available in form texts"]
        ),
        Case(
            about: "an intro that does not compile",
            yaml: formYAML(extra: "intro: \"Hi {{#context.vip}}friend\""),
            expected: ["form.yaml: intro: Mustache template does not compile: a section is opened but never closed (line 1, column 26)"]
        ),
        Case(
            about: "a key given twice",
            yaml: "id: a\nid: b\ntitle: T\nfields:\n  - name: x\n",
            // The line is the problem's own (FormCheckTests).
            expected: ["form.yaml: YAML has the same key twice in one mapping: \"id\""]
        ),
        Case(
            about: "an empty file",
            yaml: "",
            expected: ["form.yaml: the file is empty"]
        ),
        Case(
            about: "a file that is a list, not a form",
            yaml: "- id: a\n",
            expected: ["form.yaml: the file must be a mapping of id, title, fields and so on"]
        ),
        Case(
            about: "values of the wrong kind",
            yaml: "id: [a]\ntitle: T\ndefault: maybe\nfields:\n  - name: x\n    required: sure\n    label: {a: b}\n  - just text\n",
            expected: [
                "form.yaml: id must be a single value, not a list",
                "form.yaml: default must be true or false, not \"maybe\"",
                "form.yaml: field \"x\": label must be a single value, not a mapping",
                "form.yaml: field \"x\": required must be true or false, not \"sure\"",
                "form.yaml: field 2 must be a mapping of name, type and so on",
                "form.yaml: missing id",
            ]
        ),
    ]

    @Test("A broken file is refused with the file, the field and the reason", arguments: cases)
    func brokenFileIsRefused(_ testCase: Case) {
        #expect(problems(in: testCase.yaml).map(\.description) == testCase.expected)
    }

    @Test("YAML that does not parse is reported with its line")
    func unparseableYAMLReportsTheLine() {
        let found = placedProblems(in: "id: a\ntitle: T\nfields:\n  - name: x\n   bad: [\n")
        #expect(found.count == 1)
        let reason = found.first?.reason ?? ""
        #expect(reason.hasPrefix("YAML does not parse: "))
        // The place is the problem's, not part of its reason.
        #expect(!reason.contains("line"))
        #expect(found.first?.line == 5)
        #expect(found.first?.column != nil)
        #expect(found.first?.file == "form.yaml")
        #expect(found.first?.field == nil)
    }

    @Test("Every problem of a file is reported, not just the first")
    func everyProblemOfAFile() {
        let yaml = """
            id: Bad_Id
            title: T
            fields:
              - name: street
                type: txt
              - name: age
                type: number
                min: 10
                max: 1
              - name: age
                type: select
            outcome:
              variables: {formStatus: completed}
            """
        #expect(
            problems(in: yaml, file: "config/forms/address.yaml").map(\.description) == [
                "config/forms/address.yaml: field \"street\": unknown type \"txt\" (did you mean \"text\"?)",
                "config/forms/address.yaml: id \"Bad_Id\" is unfit for a URL (use 1–64 of a-z, 0-9 and -, starting with a letter or digit)",
                "config/forms/address.yaml: field \"age\": min 10 is greater than max 1",
                "config/forms/address.yaml: field \"age\": a select field needs options",
                "config/forms/address.yaml: field \"age\": duplicate field name: another field is already named \"age\"",
                "config/forms/address.yaml: field \"age\": variable \"age\" is already used by field \"age\"",
            ]
        )
    }

    @Test("A problem's description omits the field part for file-level problems")
    func problemDescriptions() {
        #expect(FormProblem(file: "a.yaml", field: "street", reason: "bad").description == "a.yaml: field \"street\": bad")
        #expect(FormProblem(file: "a.yaml", reason: "bad").description == "a.yaml: bad")
        let error = FormLoadError(problems: [FormProblem(file: "a.yaml", reason: "one"), FormProblem(file: "b.yaml", reason: "two")])
        #expect(error.description == "a.yaml: one\nb.yaml: two")
    }

    @Test("Options may be plain strings or value/label maps, and YAML booleans stay text")
    func optionSpellings() throws {
        let form = try loadForm(formYAML(fields: "  - name: a\n    type: radio\n    options: [yes, No, {value: 3, label: Three}, {value: on}]"))
        #expect(
            form.fields[0].options == [
                FieldOption(value: "yes", label: "yes"), FieldOption(value: "No", label: "No"),
                FieldOption(value: "3", label: "Three"), FieldOption(value: "on", label: "on"),
            ]
        )
    }

    @Test("Fixed variables keep file order and their text as written")
    func fixedVariablesKeepOrder() throws {
        let form = try loadForm(formYAML(extra: "outcome:\n  variables:\n    z: 1.0\n    b: yes\n    a: \"\"\n    m: 2026-01-01"))
        #expect(form.fixedVariables.map(\.id) == ["z", "b", "a", "m"])
        #expect(form.fixedVariables.map(\.value) == ["1.0", "yes", "", "2026-01-01"])
    }
}
