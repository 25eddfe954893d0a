import Forms
import Testing

/// The values a form opens with: literals, then context paths.
@Suite("Prefill")
struct FormDefinitionPrefillTests {
    static let form = FormDefinition(
        id: "t",
        title: "T",
        fields: [
            FieldDefinition(name: "street", prefill: "context.address.street"),
            FieldDefinition(name: "age", type: .number, prefill: "context.age"),
            FieldDefinition(name: "note", value: "Hello"),
            FieldDefinition(name: "customerId", type: .hidden, prefill: "context.customerId"),
            FieldDefinition(name: "source", type: .hidden, value: "sms"),
            FieldDefinition(name: "vip", type: .checkbox, prefill: "context.vip"),
            FieldDefinition(name: "newsletter", type: .checkbox, prefill: "context.newsletter"),
            FieldDefinition(name: "agreed", type: .checkbox, value: "true"),
            FieldDefinition(name: "topics", type: .checkboxes, options: ["a", "b", "c"].map { FieldOption(value: $0) }, prefill: "context.topics"),
            FieldDefinition(
                name: "colours",
                type: .checkboxes,
                options: ["red", "green", "blue"].map { FieldOption(value: $0) },
                prefill: "context.colours"
            ),
            FieldDefinition(name: "sizes", type: .checkboxes, options: ["s", "m"].map { FieldOption(value: $0) }, value: "m,s"),
            FieldDefinition(name: "country", type: .select, options: [FieldOption(value: "US")], prefill: "context.country"),
            FieldDefinition(name: "missing", prefill: "context.nowhere"),
            FieldDefinition(name: "empty"),
        ]
    )

    static let context = FormContext(
        content: """
            {"address": {"street": "Main St 1"}, "age": 42, "customerId": "C-42", "vip": "yes", "newsletter": "no",
             "topics": ["c", "a", "zzz"], "colours": "blue, red", "country": "US"}
            """
    )

    @Test("Context paths and literals fill the fields; fields with neither stay empty")
    func fillsFields() {
        let values = Self.form.prefilledValues(from: Self.context)
        #expect(values["street"] == ["Main St 1"])
        #expect(values["age"] == ["42"])
        #expect(values["note"] == ["Hello"])
        #expect(values["customerId"] == ["C-42"])
        #expect(values["source"] == ["sms"])
        #expect(values["country"] == ["US"])
        #expect(values["missing"] == [])
        #expect(values["empty"] == [])
    }

    @Test("A checkbox is prefilled true for true, 1, yes or on, and false otherwise")
    func checkboxPrefill() {
        let values = Self.form.prefilledValues(from: Self.context)
        #expect(values["vip"] == ["true"])
        #expect(values["newsletter"] == ["false"])
        #expect(values["agreed"] == ["true"])
        for (text, expected) in [("true", "true"), ("1", "true"), ("ON", "true"), ("false", "false"), ("0", "false"), ("maybe", "false")] {
            let context = FormContext(content: #"{"vip": "\#(text)"}"#)
            #expect(Self.form.prefilledValues(from: context)["vip"] == [expected], "\(text)")
        }
        #expect(Self.form.prefilledValues(from: FormContext(content: #"{"vip": true}"#))["vip"] == ["true"])
        #expect(Self.form.prefilledValues(from: FormContext(content: #"{"vip": 1}"#))["vip"] == ["true"])
    }

    @Test("checkboxes read a JSON array or a comma-joined text, keeping offered values in option order")
    func checkboxesPrefill() {
        let values = Self.form.prefilledValues(from: Self.context)
        #expect(values["topics"] == ["a", "c"])
        #expect(values["colours"] == ["red", "blue"])
        #expect(values["sizes"] == ["s", "m"])
    }

    @Test("Plain-text context prefills from context.text")
    func plainTextContext() {
        let form = FormDefinition(id: "t", title: "T", fields: [FieldDefinition(name: "note", type: .textarea, prefill: "context.text")])
        #expect(form.prefilledValues(from: FormContext(content: "call after 5")) == ["note": ["call after 5"]])
    }
}
