import Forms
import Foundation
import Testing

/// Where problems are: each names the line and column of what it is about, a "did you mean" when
/// a valid spelling is close (and none when it is not), and `FormCatalog.check` reports every
/// file's problems, across files too.
@Suite("Checking form files")
struct FormCheckTests {
    /// A problem's place and words, compared as one value so a failure shows everything.
    struct Found: Equatable, CustomStringConvertible {
        var line: Int?
        var column: Int?
        var field: String?
        var reason: String
        var suggestion: String?

        init(_ line: Int?, _ column: Int?, field: String? = nil, _ reason: String, suggestion: String? = nil) {
            (self.line, self.column, self.field, self.reason, self.suggestion) = (line, column, field, reason, suggestion)
        }

        init(_ problem: FormProblem) {
            self.init(problem.line, problem.column, field: problem.field, problem.reason, suggestion: problem.suggestion)
        }

        var description: String {
            "\(line.map(String.init) ?? "-"):\(column.map(String.init) ?? "-") \(field ?? "-") \(reason) [\(suggestion ?? "-")]"
        }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let about: String
        let yaml: String
        let expected: [Found]
        var testDescription: String { about }
    }

    static let cases: [Case] = [
        Case(
            about: "an unknown key, at the key, with the key meant",
            yaml: "id: a\ntitle: T\nfields:\n  - name: street\n    requird: true\n",
            expected: [Found(5, 5, field: "street", "unknown key \"requird\"", suggestion: "required")]
        ),
        Case(
            about: "an unknown type, at the type written, with the type meant",
            yaml: "id: a\ntitle: T\nfields:\n  - name: street\n    type: txt\n",
            expected: [Found(5, 11, field: "street", "unknown type \"txt\"", suggestion: "text")]
        ),
        Case(
            about: "a pattern that is no regex, found after reading, at the pattern",
            yaml: "id: a\ntitle: T\nfields:\n  - name: code\n    label: Code\n    pattern: \"a(\"\n",
            expected: [Found(6, 14, field: "code", "pattern \"a(\" is not a valid regular expression")]
        ),
        Case(
            about: "a duplicate name, at the second field's name",
            yaml: "id: a\ntitle: T\nfields:\n  - name: street\n  - name: city\n  - name: street\n",
            expected: [
                Found(6, 11, field: "street", "duplicate field name: another field is already named \"street\""),
                Found(6, 11, field: "street", "variable \"street\" is already used by field \"street\""),
            ]
        ),
        Case(
            about: "a showIf naming an unknown field, at the name, with a field above it",
            yaml: """
                id: a
                title: T
                fields:
                  - name: contact
                    type: select
                    options: [email, phone]
                  - name: detail
                    showIf: {field: contcat, equals: email}
                """,
            expected: [Found(8, 21, field: "detail", "showIf: there is no field \"contcat\"", suggestion: "contact")]
        ),
        Case(
            about: "a translation of an unknown field and of an unknown option, at their keys",
            yaml: """
                id: a
                title: T
                fields:
                  - name: street
                  - name: kind
                    type: radio
                    options: [home, work]
                translations:
                  es:
                    fields:
                      stret: {label: Calle}
                      kind: {options: {hom: Casa}}
                """,
            expected: [
                Found(12, 24, field: "kind", "translations.es: unknown option \"hom\"", suggestion: "home"),
                Found(11, 7, "translations.es.fields: unknown field \"stret\"", suggestion: "street"),
            ]
        ),
        Case(
            about: "a step's problems: a duplicate id at the id, a field's unknown type inside the step",
            yaml: """
                id: a
                title: T
                steps:
                  - id: one
                    title: One
                    fields: [{name: a}]
                  - id: one
                    title: Two
                    fields:
                      - name: b
                        type: nummber
                """,
            expected: [
                Found(11, 15, field: "b", "unknown type \"nummber\"", suggestion: "number"),
                Found(7, 9, "steps.one: duplicate step id: another step is already called \"one\""),
            ]
        ),
    ]

    @Test("Problems carry the line and column of what they are about", arguments: cases)
    func problemsArePlaced(_ testCase: Case) {
        #expect(placedProblems(in: testCase.yaml).map(Found.init) == testCase.expected)
    }

    @Test("A suggestion comes only when a valid spelling is close: far guesses list what is valid, or say nothing")
    func suggestionsOnlyWhenClose() {
        let yaml = """
            id: a
            title: T
            fields:
              - name: street
              - name: kind
                type: colour
                zzzzzz: 1
              - name: detail
                showIf: {field: postcode, equals: x}
            translations:
              es:
                fields:
                  telephone: {label: Teléfono}
            """
        let found = placedProblems(in: yaml)
        #expect(found.map(\.suggestion) == [nil, nil, nil, nil], "\(found)")
        #expect(found.map(\.line) == [7, 6, 13, 9], "\(found)")
        #expect(found.dropFirst().first?.reason.contains("expected one of text, textarea") == true, "no guess: every type is listed")
    }

    @Test("Every file's problems are reported, each file on its own, in file-name order")
    func everyFileReported() throws {
        try withFormFiles([
            "b.yaml": "id: b\ntitle: B\nfields:\n  - name: x\n    type: txt\n",
            "a.yaml": "id: a\ntitle: A\nfields:\n  - name: x\n    requird: true\n",
            "c.yaml": "id: c\ntitle: C\nfields:\n  - name: x\n",
            ".hidden.yaml": "not: a form",
            "notes.txt": "not a form either",
        ]) { directory in
            let check = FormCatalog.check(directory: directory)
            #expect(check.files.map(\.path) == ["a", "b", "c"].map { "\(directory)/\($0).yaml" })
            #expect(check.files.map(\.isValid) == [false, false, true])
            #expect(check.files.map(\.id) == ["a", "b", "c"])
            #expect(
                check.problems.map(\.description) == [
                    "\(directory)/a.yaml:5:5: field \"x\": unknown key \"requird\" (did you mean \"required\"?)",
                    "\(directory)/b.yaml:5:11: field \"x\": unknown type \"txt\" (did you mean \"text\"?)",
                ]
            )
            #expect(!check.isValid)
            #expect(check.summary == "2 problems in 2 of 3 forms")
            // The server's start-up runs the same check and refuses the same problems.
            let error = #expect(throws: FormLoadError.self) { try FormCatalog.load(directory: directory) }
            #expect(error?.problems == check.problems)
        }
    }

    @Test("Across files: a reused id and a second default, on the later file at its id: and default:")
    func crossFileProblems() throws {
        try withFormFiles([
            "a.yaml": "id: same\ntitle: A\ndefault: true\nfields:\n  - name: x\n",
            "b.yaml": "title: B\nid: same\nfields:\n  - name: x\ndefault: true\n",
        ]) { directory in
            let check = FormCatalog.check(directory: directory)
            #expect(check.files[0].problems.isEmpty)
            #expect(
                check.files[1].problems == [
                    FormProblem(file: "\(directory)/b.yaml", reason: "id \"same\" is already used by \(directory)/a.yaml", line: 2, column: 5),
                    FormProblem(
                        file: "\(directory)/b.yaml",
                        reason: "default: true is also set by \(directory)/a.yaml; only one form can be the default",
                        line: 5,
                        column: 10
                    ),
                ]
            )
        }
    }

    @Test("A folder that is missing or holds no form file is the check's one problem")
    func directoryProblems() throws {
        let missing = FormCatalog.check(directory: "/nonexistent/forms-\(UUID().uuidString)")
        #expect(missing.directoryProblem?.reason == "the forms directory does not exist")
        #expect(missing.files.isEmpty && !missing.isValid)
        try withFormFiles(["readme.txt": "hi"]) { directory in
            let empty = FormCatalog.check(directory: directory)
            #expect(empty.directoryProblem == FormProblem(file: directory, reason: "no form files (*.yaml, *.yml) in the directory"))
        }
    }

    @Test("Forms built in code have problems without a place")
    func formsBuiltInCodeHaveNoPlace() {
        let error = #expect(throws: FormLoadError.self) {
            try FormCatalog(forms: [FormDefinition(id: "a", title: "A", fields: [FieldDefinition(name: "x", type: .select)])])
        }
        #expect(error?.problems.map(\.line) == [nil])
        #expect(error?.problems.map(\.description) == ["form \"a\": field \"x\": a select field needs options"])
    }

    @Test("A problem's description: file:line:column, the field, the reason and the suggestion")
    func descriptionWithPlace() {
        let problem = FormProblem(
            file: "config/forms/x.yaml",
            field: "street",
            reason: "unknown type \"txt\"",
            suggestion: "text",
            line: 12,
            column: 11
        )
        #expect(problem.description == "config/forms/x.yaml:12:11: field \"street\": unknown type \"txt\" (did you mean \"text\"?)")
        #expect(FormProblem(file: "x.yaml", reason: "bad", line: 3).description == "x.yaml:3: bad")
        #expect(FormProblem(file: "x.yaml", reason: "bad").description == "x.yaml: bad")
    }

    @Test("The JSON report: valid, and per file its id, validity and problems with null for what is not known")
    func jsonReport() throws {
        try withFormFiles([
            "a.yaml": "id: a\ntitle: A\nfields:\n  - name: x\n    type: txt\n",
            "b.yaml": "[not, a, form]\n",
            "c.yaml": "id: c\ntitle: C\nfields:\n  - name: x\n",
        ]) { directory in
            let json = try #require(JSONSerialization.jsonObject(with: FormCatalog.check(directory: directory).jsonReport) as? [String: Any])
            #expect(json["valid"] as? Bool == false)
            let forms = try #require(json["forms"] as? [[String: Any]])
            #expect(forms.map { $0["file"] as? String } == ["a", "b", "c"].map { "\(directory)/\($0).yaml" })
            #expect(forms.map { $0["id"] as? String } == ["a", nil, "c"])
            #expect(forms[1]["id"] is NSNull, "an unknown id is null, not left out")
            #expect(forms.map { $0["valid"] as? Bool } == [false, false, true])
            let problem = try #require((forms[0]["problems"] as? [[String: Any]])?.first)
            #expect(problem["line"] as? Int == 5)
            #expect(problem["column"] as? Int == 11)
            #expect(problem["field"] as? String == "x")
            #expect(problem["reason"] as? String == "unknown type \"txt\"")
            #expect(problem["suggestion"] as? String == "text")
            let wholeFile = try #require((forms[1]["problems"] as? [[String: Any]])?.first)
            #expect(wholeFile["field"] is NSNull && wholeFile["suggestion"] is NSNull)
            #expect(wholeFile["line"] as? Int == 1)
            #expect((forms[2]["problems"] as? [Any])?.isEmpty == true)
        }
    }
}
