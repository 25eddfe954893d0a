import Forms
import Foundation
import Testing

/// Loading whole directories of real files, and the rules that span several forms.
@Suite("Form catalog")
struct FormCatalogTests {
    static let everything = """
        id: everything
        title: Every field type
        intro: "Hello {{context.name}}"
        default: true
        submitLabel: Go
        fields:
          - name: street
            label: Street
            type: text
            required: true
            minLength: 2
            maxLength: 120
            pattern: "[A-Za-z0-9 .-]+"
            prefill: context.address.street
            variable: newStreet
            help: As printed on your mail
            placeholder: Main St 1
            autocomplete: street-address
          - name: comment
            type: textarea
            maxLength: 1000
          - name: email
            type: email
          - name: phone
            type: tel
          - name: website
            type: url
          - name: count
            type: number
            min: 0
            max: 10
            step: 0.5
          - name: day
            type: date
            min: 2026-01-01
            max: "2026-12-31"
          - name: at
            type: time
            min: "08:00"
            max: "18:30"
          - name: country
            type: select
            options:
              - {value: US, label: United States}
              - NO
          - name: rating
            type: radio
            options: ["1", "2", "3"]
          - name: consent
            type: checkbox
            value: "true"
          - name: topics
            type: checkboxes
            options: [{value: a, label: Apples}, {value: b}]
          - name: customerId
            type: hidden
            value: C-42
          - name: receipt
            type: file
            accept: [application/pdf, image/png]
            maxSize: 5MB
            maxFiles: 3
            capture: environment
        outcome:
          variables: {zeta: last, alpha: "1", middle: 2.50, flag: true}
          submittedAt: submittedAt
        decline:
          label: No thanks
          variables: {status: declined}
        translations:
          es-MX:
            title: Todo
            intro: "Hola {{context.name}}"
            submitLabel: Vamos
            declineLabel: No gracias
            fields:
              street: {label: Calle, help: Como en su correo, placeholder: Calle 1}
              country: {options: {US: Estados Unidos}}
        """

    @Test("A form using every field type and every key loads with each value where it belongs")
    func loadsEveryFieldTypeAndKey() throws {
        let catalog = try withFormFiles(["everything.yaml": Self.everything]) { try FormCatalog.load(directory: $0) }
        let form = try #require(catalog["everything"])
        #expect(form.title == "Every field type")
        #expect(form.intro == "Hello {{context.name}}")
        #expect(form.isDefault)
        #expect(form.submitLabel == "Go")
        #expect(form.fields.map(\.type) == FieldType.allCases)
        #expect(form.sourceFile.hasSuffix("/everything.yaml"))

        let street = form.fields[0]
        #expect(street.name == "street" && street.label == "Street" && street.required)
        #expect(street.minLength == 2 && street.maxLength == 120 && street.effectiveMaxLength == 120)
        #expect(street.pattern == "[A-Za-z0-9 .-]+")
        #expect(street.prefill == "context.address.street" && street.variable == "newStreet")
        #expect(street.help == "As printed on your mail" && street.placeholder == "Main St 1")
        #expect(street.autocomplete == "street-address")

        let comment = form.fields[1]
        #expect(comment.label == "Comment", "a missing label is the name with its first letter uppercased")
        #expect(comment.variable == "comment", "the variable defaults to the name")
        #expect(comment.maxLength == 1000 && !comment.required)

        let count = form.fields[5]
        #expect(count.min == "0" && count.max == "10" && count.step == "0.5")
        let day = form.fields[6]
        #expect(day.min == "2026-01-01" && day.max == "2026-12-31", "dates stay as written")
        #expect(form.fields[7].min == "08:00" && form.fields[7].max == "18:30")

        #expect(form.fields[8].options == [FieldOption(value: "US", label: "United States"), FieldOption(value: "NO", label: "NO")])
        #expect(form.fields[9].options.map(\.value) == ["1", "2", "3"])
        #expect(form.fields[10].value == "true")
        #expect(form.fields[11].options == [FieldOption(value: "a", label: "Apples"), FieldOption(value: "b", label: "b")])
        #expect(form.fields[12].value == "C-42" && form.fields[12].hasFixedValue)
        let receipt = form.fields[13]
        #expect(receipt.accept == [.pdf, .png], "as written, in that order")
        #expect(receipt.maxSize == 5 * 1024 * 1024 && receipt.maxFiles == 3 && receipt.capture == "environment")
        #expect(form.hasFileFields)

        #expect(form.fixedVariables.map(\.id) == ["zeta", "alpha", "middle", "flag"], "file order, not sorted")
        #expect(form.fixedVariables.map(\.value) == ["last", "1", "2.50", "true"], "values as written")
        #expect(form.submittedAtVariable == "submittedAt")
        #expect(form.decline?.label == "No thanks")
        #expect(form.decline?.variables.map(\.id) == ["status"])
        #expect(form.decline?.variables.map(\.value) == ["declined"])

        let spanish = try #require(form.translations["es-MX"])
        #expect(spanish.title == "Todo" && spanish.intro == "Hola {{context.name}}")
        #expect(spanish.submitLabel == "Vamos" && spanish.declineLabel == "No gracias")
        #expect(spanish.fields["street"]?.label == "Calle")
        #expect(spanish.fields["street"]?.help == "Como en su correo")
        #expect(spanish.fields["street"]?.placeholder == "Calle 1")
        #expect(spanish.fields["country"]?.options == ["US": "Estados Unidos"])
    }

    @Test("Defaults apply when a form leaves keys out")
    func defaultsApply() throws {
        let form = try loadForm(formYAML())
        #expect(form.submitLabel == "Send")
        #expect(!form.isDefault)
        #expect(form.intro == nil && form.decline == nil && form.submittedAtVariable == nil)
        #expect(form.fields[0].type == .text, "the type defaults to text")
        #expect(form.fields[0].effectiveMaxLength == FieldDefinition.defaultMaxLength)
    }

    @Test("Forms are sorted by id and found by id, whatever the file names")
    func sortedByIdAndFoundById() throws {
        let catalog = try withFormFiles([
            "1.yaml": formYAML(id: "zebra"),
            "2.yml": formYAML(id: "apple"),
            "3.yaml": formYAML(id: "mango"),
        ]) { try FormCatalog.load(directory: $0) }
        #expect(catalog.forms.map(\.id) == ["apple", "mango", "zebra"])
        #expect(catalog["mango"]?.sourceFile.hasSuffix("/3.yaml") == true)
        #expect(catalog["kiwi"] == nil)
    }

    @Test("Only .yaml and .yml files count, and dot-files are skipped")
    func onlyYAMLFilesCount() throws {
        let catalog = try withFormFiles([
            "a.yaml": formYAML(id: "a"),
            "b.yml": formYAML(id: "b"),
            "notes.txt": "not a form",
            ".c.yaml.swp": "junk",
            ".hidden.yaml": "id: [broken",
        ]) { try FormCatalog.load(directory: $0) }
        #expect(catalog.forms.map(\.id) == ["a", "b"])
    }

    @Test("The default form is the one marked default, else the only one, else none")
    func defaultFormChoice() throws {
        let marked = try FormCatalog(forms: [
            FormDefinition(id: "a", title: "A", fields: [FieldDefinition(name: "x")]),
            FormDefinition(id: "b", title: "B", isDefault: true, fields: [FieldDefinition(name: "x")]),
        ])
        #expect(marked.defaultForm?.id == "b")
        let single = try FormCatalog(forms: [FormDefinition(id: "only", title: "Only", fields: [FieldDefinition(name: "x")])])
        #expect(single.defaultForm?.id == "only")
        let several = try FormCatalog(forms: [
            FormDefinition(id: "a", title: "A", fields: [FieldDefinition(name: "x")]),
            FormDefinition(id: "b", title: "B", fields: [FieldDefinition(name: "x")]),
        ])
        #expect(several.defaultForm == nil)
    }

    @Test("Two files with the same id are refused, naming both files")
    func duplicateIdsAcrossFiles() throws {
        let (directory, problems) = try catalogProblems([
            "a.yaml": formYAML(id: "same"),
            "b.yaml": formYAML(id: "same"),
        ])
        // At the later file's id (line 1, `id: same`).
        #expect(
            problems == [FormProblem(file: directory + "/b.yaml", reason: "id \"same\" is already used by \(directory)/a.yaml", line: 1, column: 5)]
        )
    }

    @Test("More than one default form is refused")
    func moreThanOneDefault() throws {
        let error = #expect(throws: FormLoadError.self) {
            try FormCatalog(forms: [
                FormDefinition(id: "a", title: "A", isDefault: true, fields: [FieldDefinition(name: "x")], sourceFile: "a.yaml"),
                FormDefinition(id: "b", title: "B", isDefault: true, fields: [FieldDefinition(name: "x")], sourceFile: "b.yaml"),
            ])
        }
        #expect(error?.description == "b.yaml: default: true is also set by a.yaml; only one form can be the default")
    }

    @Test("Forms built in code are checked like loaded ones")
    func formsBuiltInCodeAreChecked() {
        let error = #expect(throws: FormLoadError.self) {
            try FormCatalog(forms: [
                FormDefinition(id: "Bad Id", title: "A", fields: [FieldDefinition(name: "x", type: .select)])
            ])
        }
        #expect(
            error?.problems.map(\.description) == [
                "form \"Bad Id\": id \"Bad Id\" is unfit for a URL (use 1–64 of a-z, 0-9 and -, starting with a letter or digit)",
                "form \"Bad Id\": field \"x\": a select field needs options",
            ]
        )
    }

    @Test("Problems of several files are reported together, one line each")
    func problemsOfSeveralFilesTogether() throws {
        let (directory, problems) = try catalogProblems([
            "a.yaml": formYAML(id: "a", fields: "  - name: street\n    type: txt"),
            "b.yaml": formYAML(id: "b", fields: "  - name: street\n    requird: true"),
            "c.yaml": formYAML(id: "c"),
            "d.yaml": formYAML(id: "a"),
        ])
        #expect(
            FormLoadError(problems: problems).description == """
                \(directory)/a.yaml:5:11: field "street": unknown type "txt" (did you mean "text"?)
                \(directory)/b.yaml:5:5: field "street": unknown key "requird" (did you mean "required"?)
                \(directory)/d.yaml:1:5: id "a" is already used by \(directory)/a.yaml
                """
        )
    }

    @Test("Each form's version is the SHA-256 of its file's bytes, 12 hex digits: any edit changes it, the same bytes give it back")
    func versions() throws {
        let yaml = "id: a\ntitle: A\nfields:\n  - name: street\n"
        try withFormFiles(["a.yaml": yaml, "b.yaml": yaml.replacingOccurrences(of: "id: a", with: "id: b")]) { directory in
            let catalog = try FormCatalog.load(directory: directory)
            let version = try #require(catalog["a"]?.version)
            #expect(version == FormVersion.of(Data(yaml.utf8)))
            #expect(version.count == 12 && FormVersion.isWellFormed(version[...]))
            #expect(catalog["b"]?.version != version)
            // SHA-256("abc") is ba7816bf8f01cfea…: the published test vector, its first six bytes.
            #expect(FormVersion.of(Data("abc".utf8)) == "ba7816bf8f01")
            #expect(!FormVersion.isWellFormed("BA7816BF8F01"), "lower case only: what the server writes")
            #expect(!FormVersion.isWellFormed("ba7816bf8f0"))
        }
    }

    @Test("A directory that does not exist is a problem naming it")
    func missingDirectory() {
        let error = #expect(throws: FormLoadError.self) {
            try FormCatalog.load(directory: "/nonexistent/forms-\(UUID().uuidString)")
        }
        #expect(error?.problems.first?.reason == "the forms directory does not exist")
    }

    @Test("A directory without form files is a problem")
    func directoryWithoutFormFiles() throws {
        try withFormFiles(["readme.txt": "hi"]) { directory in
            let error = #expect(throws: FormLoadError.self) { try FormCatalog.load(directory: directory) }
            #expect(error?.problems == [FormProblem(file: directory, reason: "no form files (*.yaml, *.yml) in the directory")])
        }
    }

    @Test("A file that is not UTF-8 is a problem naming the file")
    func notUTF8() throws {
        try withFormFiles([:]) { directory in
            try Data([0x69, 0x64, 0x3A, 0x20, 0xFF, 0xFE]).write(to: URL(fileURLWithPath: directory + "/bad.yaml"))
            let error = #expect(throws: FormLoadError.self) { try FormCatalog.load(directory: directory) }
            #expect(error?.problems == [FormProblem(file: directory + "/bad.yaml", reason: "the file is not UTF-8 text")])
        }
    }

    @Test("The example forms in config/forms load without problems")
    func exampleFormsLoad() throws {
        // Tests/FormsTests/FormCatalogTests.swift -> the package root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let catalog: FormCatalog
        do {
            catalog = try FormCatalog.load(directory: root.appendingPathComponent("config/forms").path)
        } catch {
            Issue.record("config/forms does not load:\n\(error)")
            return
        }
        #expect(
            catalog.forms.map(\.id) == [
                "address-update", "callback-request", "claim-report", "consent-capture", "contact-details", "damage-photo",
                "satisfaction-survey",
            ]
        )
        #expect(catalog.defaultForm?.id == "address-update")
        for form in catalog.forms {
            #expect(form.translations["es"] != nil, "\(form.id) has Spanish texts")
            let spanish = form.localized(to: "es")
            #expect(spanish.title != form.title)
            #expect(spanish.submitLabel != form.submitLabel)
            for (english, translated) in zip(form.fields, spanish.fields) where english.type != .hidden {
                #expect(translated.label != english.label, "\(form.id).\(english.name) label is translated")
                #expect(english.help == nil || translated.help != english.help, "\(form.id).\(english.name) help is translated")
                for (option, translatedOption) in zip(english.options, translated.options) {
                    #expect(translatedOption.label != option.label, "\(form.id).\(english.name) option \(option.value)")
                }
            }
            if let decline = form.decline {
                #expect(spanish.decline?.label != decline.label)
            }
            for (english, translated) in zip(form.steps, spanish.steps) {
                #expect(translated.title != english.title, "\(form.id) step \(english.id) title is translated")
                #expect(english.intro == nil || translated.intro != english.intro, "\(form.id) step \(english.id) intro is translated")
            }
            #expect(form.renderIntro(context: FormContext(content: "{}")) != spanish.renderIntro(context: FormContext(content: "{}")))
        }
    }
}
