import AlvariaModels
import Forms
import Foundation
import Testing

/// `showIf`: a field is asked for, validated and sent only while an earlier field has one of
/// the listed values.
@Suite("Conditional fields (showIf)")
struct ConditionalFieldTests {
    static let contactForm = """
        id: contact
        title: Contact
        fields:
          - name: method
            type: radio
            required: true
            options: [phone, email, post]
          - name: phone
            type: tel
            required: true
            showIf: {field: method, equals: phone}
          - name: extension
            required: true
            showIf: {field: phone, in: ["+1 555 0100", "+1 555 0101"]}
          - name: email
            type: email
            required: true
            showIf: {field: method, in: [email, post]}
          - name: newsletter
            type: checkbox
          - name: topics
            type: checkboxes
            options: [news, offers]
            showIf: {field: newsletter, equals: "true"}
        outcome:
          variables: {status: done}
        """

    @Test("reads equals and in as the values that show the field")
    func loads() throws {
        let form = try loadForm(Self.contactForm)
        #expect(form.field(named: "phone")?.showIf == FieldCondition(field: "method", values: ["phone"]))
        #expect(form.field(named: "email")?.showIf == FieldCondition(field: "method", values: ["email", "post"]))
        #expect(form.field(named: "method")?.showIf == nil)
    }

    @Test("a hidden field is neither required nor sent")
    func hiddenFieldsAreSkipped() throws {
        let form = try loadForm(Self.contactForm)
        let validation = form.validate(["method": ["email"], "email": ["ana@example.com"], "phone": ["not a phone!"]])
        #expect(validation.errors.isEmpty, "phone is hidden: neither its emptiness nor its value counts")
        let variables = form.outcomeVariables(for: validation.values, submittedAt: Date())
        #expect(variables.map(\.id) == ["method", "email", "newsletter", "status"])
        #expect(variables.map(\.value) == ["email", "ana@example.com", "false", "done"])
    }

    @Test("a shown field is validated as usual")
    func shownFieldsAreRequired() throws {
        let form = try loadForm(Self.contactForm)
        let validation = form.validate(["method": ["phone"]])
        #expect(validation.errors.map(\.field) == ["phone"])
        #expect(validation.errors.first?.problem == .required)
    }

    @Test("a field whose controlling field is hidden is hidden too, whatever that field holds")
    func chains() throws {
        let form = try loadForm(Self.contactForm)
        let values: FormValues = ["method": ["email"], "phone": ["+1 555 0100"], "email": ["a@example.com"]]
        #expect(form.shownFieldNames(for: values) == ["method", "email", "newsletter"])
        let shown = form.shownFieldNames(for: ["method": ["phone"], "phone": ["+1 555 0100"]])
        #expect(shown.contains("extension"))
    }

    @Test("a checkbox controls with true and false; checkboxes with any chosen option")
    func checkboxControllers() throws {
        let form = try loadForm(Self.contactForm)
        #expect(form.shownFieldNames(for: form.validate(["method": ["post"], "newsletter": ["on"]]).values).contains("topics"))
        #expect(!form.shownFieldNames(for: form.validate(["method": ["post"]]).values).contains("topics"))
    }

    @Test("outcome.includeHidden sends hidden fields as empty strings, in form order")
    func includeHidden() throws {
        let form = try loadForm(Self.contactForm + "\n  includeHidden: true\n")
        let validation = form.validate(["method": ["email"], "email": ["ana@example.com"], "phone": ["+1 555 0100"]])
        let variables = form.outcomeVariables(for: validation.values, submittedAt: Date())
        #expect(variables.map(\.id) == ["method", "phone", "extension", "email", "newsletter", "topics", "status"])
        #expect(variables.map(\.value) == ["email", "", "", "ana@example.com", "false", "", "done"])
    }

    @Test(
        "refuses conditions that cannot work, naming the field",
        arguments: [
            ("{field: nowhere, equals: x}", #"showIf: there is no field "nowhere""#),
            ("{field: later, equals: x}", #"showIf: field "later" must come before this one"#),
            ("{field: method, equals: fax}", #"showIf: "fax" is not a value field "method" can have"#),
            ("{field: method, equals: phone, in: [email]}", "showIf needs exactly one of equals: value or in: [values]"),
            ("{field: method, in: []}", "showIf.in must list at least one value"),
            ("{equals: phone}", "showIf needs the field it depends on"),
            ("{field: method, equals: phone, when: now}", #"unknown key "when""#),
        ]
    )
    func refusesBadConditions(condition: String, expected: String) {
        let yaml = formYAML(
            fields: """
                  - name: method
                    type: select
                    options: [phone, email]
                  - name: detail
                    showIf: \(condition)
                  - name: later
                """
        )
        let found = problems(in: yaml)
        #expect(found.contains { $0.field == "detail" && $0.reason.contains(expected) }, "\(found)")
    }
}

@Suite("Sensitive fields")
struct SensitiveFieldTests {
    @Test("sensitive: true marks the field and its variable")
    func loads() throws {
        let form = try loadForm(
            formYAML(
                fields: """
                      - name: pin
                        sensitive: true
                        variable: accountPin
                      - name: street
                    """
            )
        )
        #expect(form.field(named: "pin")?.sensitive == true)
        #expect(form.field(named: "street")?.sensitive == false)
        #expect(form.sensitiveVariables == ["accountPin"])
    }

    @Test("sensitive must be true or false")
    func refusesOtherValues() {
        let found = problems(in: formYAML(fields: "  - name: pin\n    sensitive: maybe\n"))
        #expect(found.contains { $0.field == "pin" && $0.reason.contains("sensitive") }, "\(found)")
    }
}
