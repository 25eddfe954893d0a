import AlvariaModels
import Forms
import Foundation
import Testing

/// The `file` field type: its keys, what loading refuses, and how its values (the ids of the
/// files the web layer accepted) are validated and mapped.
@Suite("File fields")
struct FileFieldTests {
    // MARK: Loading

    @Test("A file field without file keys takes JPEG, PNG and PDF, one file of up to 10 MB, no camera")
    func defaults() throws {
        let form = try loadForm(formYAML(fields: "  - name: photo\n    type: file"))
        let photo = form.fields[0]
        #expect(photo.type == .file)
        #expect(photo.accept == [.jpeg, .png, .pdf])
        #expect(photo.maxSize == 10 * 1024 * 1024 && photo.maxFiles == 1 && photo.capture == nil)
        #expect(form.hasFileFields)
        let plain = try loadForm(formYAML())
        #expect(!plain.hasFileFields)
        let text = FieldDefinition(name: "street")
        #expect(text.accept.isEmpty, "other types accept no files")
        #expect(FieldDefinition(name: "photo", type: .file).accept == FileKind.allCases)
    }

    @Test("Every key of a file field, as written; media types case aside")
    func everyKey() throws {
        let form = try loadForm(
            formYAML(
                fields: """
                      - name: photo
                        label: Photo of the damage
                        type: file
                        accept: [Image/PNG, image/jpeg]
                        maxSize: 512KB
                        maxFiles: 10
                        capture: user
                        required: true
                        sensitive: true
                        help: In good light
                        variable: photoLinks
                    """,
                extra: "translations:\n  es: {fields: {photo: {label: Foto, help: Con buena luz}}}"
            )
        )
        let photo = form.fields[0]
        #expect(photo.accept == [.png, .jpeg])
        #expect(photo.maxSize == 512 * 1024 && photo.maxFiles == 10 && photo.capture == "user")
        #expect(photo.required && photo.sensitive && photo.help == "In good light" && photo.variable == "photoLinks")
        #expect(form.localized(to: "es").fields[0].label == "Foto")
    }

    @Test("A file field can be on a step and be shown by a condition")
    func onAStepWithCondition() throws {
        let form = try loadForm(
            """
            id: steps
            title: Steps
            steps:
              - id: first
                title: First
                fields:
                  - name: hasPhoto
                    type: checkbox
              - id: second
                title: Second
                fields:
                  - name: photo
                    type: file
                    required: true
                    showIf: {field: hasPhoto, equals: "true"}
            """
        )
        #expect(form.hasFileFields && form.step(holding: "photo")?.id == "second")
    }

    /// One file field and the exact lines its problems must produce.
    struct Case: Sendable, CustomTestStringConvertible {
        let about: String
        let field: String
        let expected: [String]
        var testDescription: String { about }
    }

    static let cases: [Case] = [
        Case(
            about: "an unknown media type lists the known ones",
            field: "accept: [image/gif]",
            expected: ["form.yaml: field \"f\": accept: unknown media type \"image/gif\" (expected one of image/jpeg, image/png, application/pdf)"]
        ),
        Case(
            about: "a near miss and a file extension get a suggestion",
            field: "accept: [image/jpg, pdf, image/png]",
            expected: [
                "form.yaml: field \"f\": accept: unknown media type \"image/jpg\" (did you mean \"image/jpeg\"?)",
                "form.yaml: field \"f\": accept: unknown media type \"pdf\" (did you mean \"application/pdf\"?)",
            ]
        ),
        Case(
            about: "an empty accept",
            field: "accept: []",
            expected: ["form.yaml: field \"f\": accept must list at least one media type (image/jpeg, image/png, application/pdf)"]
        ),
        Case(
            about: "an accept with nothing after it",
            field: "accept:",
            expected: ["form.yaml: field \"f\": accept must list at least one media type (image/jpeg, image/png, application/pdf)"]
        ),
        Case(
            about: "accept as a single value",
            field: "accept: image/png",
            expected: ["form.yaml: field \"f\": accept must be a list"]
        ),
        Case(
            about: "a media type twice",
            field: "accept: [image/png, image/PNG]",
            expected: ["form.yaml: field \"f\": accept lists image/png twice"]
        ),
        Case(
            about: "a size that does not parse",
            field: "maxSize: ten megabytes",
            expected: ["form.yaml: field \"f\": maxSize \"ten megabytes\" is not a size like 10MB or 500KB"]
        ),
        Case(
            about: "a size of nothing",
            field: "maxSize: 0",
            expected: ["form.yaml: field \"f\": maxSize must be more than 0"]
        ),
        Case(
            about: "a size over 100 MB",
            field: "maxSize: 101MB",
            expected: ["form.yaml: field \"f\": maxSize 101 MB is more than the 100 MB a file may have"]
        ),
        Case(
            about: "no files",
            field: "maxFiles: 0",
            expected: ["form.yaml: field \"f\": maxFiles must be between 1 and 10, not 0"]
        ),
        Case(
            about: "more than ten files",
            field: "maxFiles: 11",
            expected: ["form.yaml: field \"f\": maxFiles must be between 1 and 10, not 11"]
        ),
        Case(
            about: "maxFiles not a number",
            field: "maxFiles: many",
            expected: ["form.yaml: field \"f\": maxFiles must be a whole number, not \"many\""]
        ),
        Case(
            about: "a camera that is not environment or user, with a suggestion",
            field: "capture: enviroment",
            expected: [
                "form.yaml: field \"f\": capture \"enviroment\" is not environment (the back camera) or user (the front camera) (did you mean \"environment\"?)"
            ]
        ),
        Case(
            about: "a camera far from either",
            field: "capture: front",
            expected: ["form.yaml: field \"f\": capture \"front\" is not environment (the back camera) or user (the front camera)"]
        ),
        Case(
            about: "a misspelt file key gets a suggestion",
            field: "maxsize: 10MB",
            expected: ["form.yaml: field \"f\": unknown key \"maxsize\" (did you mean \"maxSize\"?)"]
        ),
        Case(
            about: "keys of text that make no sense for a file",
            field: "minLength: 1\n    maxLength: 10\n    pattern: \"[a-z]+\"\n    placeholder: Choose\n    autocomplete: photo",
            expected: [
                "form.yaml: field \"f\": minLength does not apply to type file",
                "form.yaml: field \"f\": maxLength does not apply to type file",
                "form.yaml: field \"f\": pattern does not apply to type file",
                "form.yaml: field \"f\": placeholder does not apply to type file",
                "form.yaml: field \"f\": autocomplete does not apply to type file",
            ]
        ),
        Case(
            about: "ranges and options make no sense for a file",
            field: "min: \"1\"\n    max: \"2\"\n    step: \"1\"\n    options: [a, b]",
            expected: [
                "form.yaml: field \"f\": min does not apply to type file",
                "form.yaml: field \"f\": max does not apply to type file",
                "form.yaml: field \"f\": step does not apply to type file",
                "form.yaml: field \"f\": options does not apply to type file",
            ]
        ),
        Case(
            about: "a file cannot start with a value from the form or the context",
            field: "prefill: context.photo",
            expected: ["form.yaml: field \"f\": prefill does not apply to type file"]
        ),
        Case(
            about: "nor with a literal",
            field: "value: photo.jpg",
            expected: ["form.yaml: field \"f\": value does not apply to type file"]
        ),
    ]

    @Test("Every problem of a file field's keys is refused with the file, the field and the reason", arguments: cases)
    func refused(_ testCase: Case) {
        let yaml = formYAML(fields: "  - name: f\n    type: file\n    \(testCase.field)")
        #expect(problems(in: yaml).map(\.description) == testCase.expected)
    }

    @Test("The file keys on any other type are refused, each by name", arguments: FieldType.allCases.filter { $0 != .file })
    func fileKeysElsewhere(type: FieldType) {
        let options = [.select, .radio, .checkboxes].contains(type) ? "\n    options: [a]" : ""
        let yaml = formYAML(
            fields:
                "  - name: f\n    type: \(type.rawValue)\(options)\n    accept: [image/png]\n    maxSize: 10MB\n    maxFiles: 1\n    capture: user"
        )
        #expect(
            problems(in: yaml).map(\.description)
                == ["accept", "maxSize", "maxFiles", "capture"].map {
                    "form.yaml: field \"f\": \($0) does not apply to type \(type.rawValue)"
                }
        )
    }

    @Test("A field built in code with file settings on another type is refused too")
    func fileSettingsInCode() {
        let field = FieldDefinition(name: "f", accept: [.png], maxSize: 1024, maxFiles: 2, capture: "user")
        let error = #expect(throws: FormLoadError.self) { try FormCatalog(forms: [FormDefinition(id: "a", title: "A", fields: [field])]) }
        #expect(
            error?.problems.map(\.reason) == [
                "accept does not apply to type text", "maxSize does not apply to type text", "maxFiles does not apply to type text",
                "capture does not apply to type text",
            ]
        )
    }

    @Test("A placeholder translation of a file field is refused, as for every type without one")
    func placeholderTranslation() {
        let yaml = formYAML(
            fields: "  - name: f\n    type: file",
            extra: "translations:\n  es: {fields: {f: {label: Foto, placeholder: Elija}}}"
        )
        #expect(problems(in: yaml).map(\.description) == ["form.yaml: field \"f\": translations.es: placeholder does not apply to type file"])
    }

    @Test("No condition can depend on a file field")
    func conditionOnAFile() {
        let yaml = formYAML(fields: "  - name: photo\n    type: file\n  - name: why\n    showIf: {field: photo, equals: x}")
        #expect(
            problems(in: yaml).map(\.description) == ["form.yaml: field \"why\": showIf: field \"photo\" takes files, which no condition can test"]
        )
    }

    // MARK: Validation

    static func form(_ field: FieldDefinition, _ others: FieldDefinition...) -> FormDefinition {
        FormDefinition(id: "f", title: "F", fields: others + [field])
    }

    @Test("The ids are kept as given, empty ones dropped; none is fine when optional")
    func keepsIds() {
        let form = Self.form(FieldDefinition(name: "photo", type: .file, maxFiles: 3))
        let validation = form.validate(["photo": ["", "Ab-_0123456789abcdefghij", " spaced ", ""]])
        #expect(validation.isValid)
        #expect(validation.values["photo"] == ["Ab-_0123456789abcdefghij", " spaced "])
        let none = form.validate([:])
        #expect(none.isValid && none.values["photo"] == [])
    }

    @Test("A required file field without a file is required")
    func required() {
        let form = Self.form(FieldDefinition(name: "photo", type: .file, required: true))
        #expect(form.validate([:]).errors == [FieldError(field: "photo", problem: .required)])
        #expect(form.validate(["photo": [""]]).errors == [FieldError(field: "photo", problem: .required)])
        #expect(form.validate(["photo": ["a"]]).isValid)
    }

    @Test("More files than maxFiles is tooManyFiles, with the limit")
    func tooMany() {
        let form = Self.form(FieldDefinition(name: "photo", type: .file, maxFiles: 2))
        #expect(form.validate(["photo": ["a", "b"]]).isValid)
        #expect(form.validate(["photo": ["a", "", "b"]]).isValid, "empty values are no files")
        #expect(form.validate(["photo": ["a", "b", "c"]]).errors == [FieldError(field: "photo", problem: .tooManyFiles(maximum: 2))])
        let single = Self.form(FieldDefinition(name: "photo", type: .file))
        #expect(single.validate(["photo": ["a", "b"]]).problem(for: "photo") == .tooManyFiles(maximum: 1))
    }

    @Test("A file field hidden by its condition has no problem, and is left out of the outcome")
    func hiddenByCondition() {
        let form = Self.form(
            FieldDefinition(name: "photo", type: .file, required: true, showIf: FieldCondition(field: "damaged", values: ["true"])),
            FieldDefinition(name: "damaged", type: .checkbox)
        )
        #expect(form.validate(["damaged": ["false"], "photo": ["a", "b"]]).isValid)
        #expect(form.validate(["damaged": ["true"]]).problem(for: "photo") == .required)
        let values = form.validate(["damaged": ["false"], "photo": ["a"]]).values
        #expect(form.outcomeVariables(for: values, submittedAt: .now).map(\.id) == ["damaged"])
    }

    @Test("On a step, a file field is validated with its step")
    func onAStep() throws {
        let form = try loadForm(
            """
            id: steps
            title: Steps
            steps:
              - id: first
                title: First
                fields: [{name: note}]
              - id: second
                title: Second
                fields: [{name: photo, type: file, required: true, maxFiles: 2}]
            """
        )
        let second = try #require(form.step(id: "second")?.step)
        #expect(form.validate(["note": ["x"]], context: nil, step: second).problem(for: "photo") == .required)
        #expect(form.validate(["photo": ["a", "b", "c"]], context: nil, step: second).problem(for: "photo") == .tooManyFiles(maximum: 2))
        #expect(form.validate(["photo": ["a"]], context: nil, step: second).isValid)
    }

    // MARK: Outcome

    @Test("A file field's variable is its values joined with commas; none is empty")
    func outcome() {
        let form = Self.form(FieldDefinition(name: "photos", type: .file, variable: "photoLinks", maxFiles: 3))
        let several = form.validate(["photos": ["https://x/files/a?sig=1", "https://x/files/b?sig=2"]])
        #expect(
            form.outcomeVariables(for: several.values, submittedAt: .now)
                == [OutcomeVariable(id: "photoLinks", value: "https://x/files/a?sig=1,https://x/files/b?sig=2")]
        )
        let none = form.validate([:])
        #expect(form.outcomeVariables(for: none.values, submittedAt: .now) == [OutcomeVariable(id: "photoLinks", value: "")])
    }

    // MARK: Problems

    @Test("The file problems have codes and English messages")
    func problemTexts() {
        #expect(FieldProblem.fileType.code == "fileType")
        #expect(FieldProblem.fileTooLarge(maximum: 10 * 1024 * 1024).code == "fileTooLarge")
        #expect(FieldProblem.fileDamaged.code == "fileDamaged")
        #expect(FieldProblem.tooManyFiles(maximum: 2).code == "tooManyFiles")
        #expect(FieldProblem.fileTooLarge(maximum: 10 * 1024 * 1024).englishMessage == "Choose a file of at most 10 MB.")
        #expect(FieldProblem.tooManyFiles(maximum: 2).englishMessage == "Too many files. The limit is 2.")
    }

    @Test("The examples hold one problem of each kind, so catalogues can list every code")
    func examplesCoverEveryCode() {
        let codes = FieldProblem.examples.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(codes.count == 19)
        for code in ["required", "invalidCharacters", "fileType", "fileTooLarge", "fileDamaged", "tooManyFiles"] {
            #expect(codes.contains(code), "\(code)")
        }
    }
}
