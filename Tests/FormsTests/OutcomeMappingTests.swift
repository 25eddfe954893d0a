import AlvariaModels
import Forms
import Foundation
import PropertyBased
import Testing

/// Mapping validated values to Outcome variables, exactly as DESIGN.md specifies.
@Suite("Outcome mapping")
struct OutcomeMappingTests {
    /// 2026-11-29T06:20:01.750Z: fractions of a second are dropped.
    static let submittedAt = Date(timeIntervalSince1970: 1_795_933_201.75)

    static let form = FormDefinition(
        id: "t",
        title: "T",
        fields: [
            FieldDefinition(name: "street", variable: "newStreet"),
            FieldDefinition(name: "topics", type: .checkboxes, options: [FieldOption(value: "a"), FieldOption(value: "b"), FieldOption(value: "c")]),
            FieldDefinition(name: "consent", type: .checkbox),
            FieldDefinition(name: "note", type: .textarea),
            FieldDefinition(name: "source", type: .hidden, value: "sms"),
        ],
        fixedVariables: [OutcomeVariable(id: "formStatus", value: "completed"), OutcomeVariable(id: "version", value: "3")],
        submittedAtVariable: "submittedAt",
        decline: Decline(label: "No thanks", variables: [OutcomeVariable(id: "formStatus", value: "declined")])
    )

    @Test("Each field becomes one variable in form order, then the fixed ones, then submittedAt")
    func mapsInOrder() {
        let validation = Self.form.validate(FormValues([("topics", "c"), ("topics", "a"), ("street", " Main St 1 "), ("consent", "on")]))
        #expect(validation.isValid)
        #expect(
            Self.form.outcomeVariables(for: validation.values, submittedAt: Self.submittedAt) == [
                OutcomeVariable(id: "newStreet", value: "Main St 1"),
                OutcomeVariable(id: "topics", value: "a,c"),
                OutcomeVariable(id: "consent", value: "true"),
                OutcomeVariable(id: "note", value: ""),
                OutcomeVariable(id: "source", value: "sms"),
                OutcomeVariable(id: "formStatus", value: "completed"),
                OutcomeVariable(id: "version", value: "3"),
                OutcomeVariable(id: "submittedAt", value: "2026-11-29T06:20:01Z"),
            ]
        )
    }

    @Test("An unticked checkbox is \"false\", no checkboxes is \"\", an empty optional field is \"\"")
    func emptyValues() {
        let values = Self.form.validate(FormValues([])).values
        let variables = Self.form.outcomeVariables(for: values, submittedAt: Self.submittedAt)
        #expect(variables.prefix(4).map(\.value) == ["", "", "false", ""])
        // Even values that skipped validation map the same way.
        #expect(Self.form.outcomeVariables(for: FormValues([]), submittedAt: Self.submittedAt).prefix(4).map(\.value) == ["", "", "false", ""])
    }

    @Test("A hidden literal is sent even when the values say otherwise")
    func hiddenLiteralIsSent() {
        let variables = Self.form.outcomeVariables(for: ["source": ["tampered"]], submittedAt: Self.submittedAt)
        #expect(variables.first { $0.id == "source" }?.value == "sms")
    }

    @Test("submittedAt is ISO 8601 in UTC with seconds and Z")
    func submittedAtFormat() {
        let times: [(Date, String)] = [
            (Date(timeIntervalSince1970: 0), "1970-01-01T00:00:00Z"),
            (Self.submittedAt, "2026-11-29T06:20:01Z"),
            (Date(timeIntervalSince1970: 1_709_164_799), "2024-02-28T23:59:59Z"),
        ]
        for (date, text) in times {
            #expect(Self.form.outcomeVariables(for: FormValues([]), submittedAt: date).last == OutcomeVariable(id: "submittedAt", value: text))
        }
    }

    @Test("Without submittedAt configured, no time variable is added")
    func noSubmittedAt() {
        var form = Self.form
        form.submittedAtVariable = nil
        let variables = form.outcomeVariables(for: FormValues([]), submittedAt: Self.submittedAt)
        #expect(variables.map(\.id) == ["newStreet", "topics", "consent", "note", "source", "formStatus", "version"])
        #expect(form.declineVariables(submittedAt: Self.submittedAt) == [OutcomeVariable(id: "formStatus", value: "declined")])
    }

    @Test("Declining sends the decline variables, then submittedAt")
    func declineVariables() {
        #expect(
            Self.form.declineVariables(submittedAt: Self.submittedAt) == [
                OutcomeVariable(id: "formStatus", value: "declined"),
                OutcomeVariable(id: "submittedAt", value: "2026-11-29T06:20:01Z"),
            ]
        )
    }

    @Test("A form without a decline button has no decline variables")
    func noDecline() {
        var form = Self.form
        form.decline = nil
        #expect(form.declineVariables(submittedAt: Self.submittedAt) == nil)
    }

    // MARK: Property

    /// A generated form: one field per entry, named f0, f1, …, with variables v0, v1, …
    struct GeneratedForm: Sendable, CustomStringConvertible {
        let types: [FieldType]
        let fixedCount: Int

        static let options = ["x", "y", "z"].map { FieldOption(value: $0) }

        var form: FormDefinition {
            FormDefinition(
                id: "generated",
                title: "Generated",
                fields: types.enumerated().map { index, type in
                    FieldDefinition(
                        name: "f\(index)",
                        type: type,
                        min: type == .number ? "-100" : nil,
                        max: type == .number ? "100" : nil,
                        options: type.offersOptions ? Self.options : [],
                        value: type == .hidden && index.isMultiple(of: 2) ? "literal\(index)" : nil,
                        variable: "v\(index)"
                    )
                },
                fixedVariables: (0..<fixedCount).map { OutcomeVariable(id: "fixed\($0)", value: "\($0)") }
            )
        }

        var description: String { "\(types.map(\.rawValue)) + \(fixedCount) fixed" }
    }

    /// A value that passes `type`'s rules, drawn from `seed`.
    static func validValue(for type: FieldType, seed: Int, text: String) -> [String] {
        switch type {
        case .text, .textarea, .hidden: [text]
        case .email: ["user\(seed)@example.com"]
        case .tel: ["+1 555 \(1000 + seed % 9000)"]
        case .url: ["https://example.com/\(seed)"]
        case .number: ["\(seed % 201 - 100)"]
        case .date: [String(format: "20%02d-%02d-%02d", seed % 100, seed % 12 + 1, seed % 28 + 1)]
        case .time: [String(format: "%02d:%02d", seed % 24, seed % 60)]
        case .select, .radio: [["x", "y", "z", ""][seed % 4]]
        case .checkbox: [["on", "true", "false"][seed % 3]]
        case .checkboxes: Array(["z", "x", "y"].prefix(seed % 4))
        case .file: seed.isMultiple(of: 3) ? [] : ["file-\(seed)"]
        }
    }

    static let generatedForms = zip(
        Gen<FieldType>.case.array(of: 1...8),
        Gen.int(in: 0...3)
    ).map { GeneratedForm(types: $0, fixedCount: $1) }

    static let safeText = Gen<Character>.letterOrNumber.string(of: 0...20)

    @Test("For any valid submission of a generated form: one variable per field in order, then the fixed ones, values unchanged")
    func generatedSubmissionsMapOneToOne() async {
        await propertyCheck(input: Self.generatedForms, Gen.int(in: 0...10_000), Self.safeText) { generated, seed, text in
            let form = generated.form
            var posted = FormValues([])
            for (index, field) in form.fields.enumerated() {
                posted[field.name] = Self.validValue(for: field.type, seed: seed + index, text: text)
            }
            let validation = form.validate(posted)
            #expect(validation.isValid, "\(validation.errors)")
            let variables = form.outcomeVariables(for: validation.values, submittedAt: Self.submittedAt)
            #expect(variables.map(\.id) == form.fields.map(\.variable) + form.fixedVariables.map(\.id))
            #expect(Array(variables.suffix(form.fixedVariables.count)) == form.fixedVariables)
            for (field, variable) in zip(form.fields, variables) {
                let sent = posted[field.name]
                let expected: String =
                    switch field.type {
                    case .checkbox: FieldDefinitionNormalisation.checkbox(sent)
                    case .checkboxes: ["x", "y", "z"].filter(sent.contains).joined(separator: ",")
                    case .file: sent.joined(separator: ",")
                    // Never what was posted: its literal, or the context's value (no context here).
                    case .hidden: field.value ?? ""
                    default: sent.first ?? ""
                    }
                #expect(variable.value == expected, "\(field.name) (\(field.type))")
            }
        }
    }
}

/// The documented normalisation of a checkbox, restated independently of the implementation.
enum FieldDefinitionNormalisation {
    static func checkbox(_ sent: [String]) -> String {
        sent.contains { ["on", "true", "1", "yes"].contains($0.lowercased()) } ? "true" : "false"
    }
}

extension FieldType {
    fileprivate var offersOptions: Bool { self == .select || self == .radio || self == .checkboxes }
}
