import Forms
import Testing

/// The session context: JSON objects by dotted path, anything else as `context.text`.
@Suite("Form context")
struct FormContextTests {
    static let json = """
        {"firstName": "Ann", "address": {"street": "Main St 1", "city": "Springfield"},
         "items": ["apple", {"name": "pear"}, 7], "age": 42, "ratio": 3.5, "big": 12345678901234567890,
         "vip": true, "blocked": false, "nothing": null, "form": "address-update", "lang": "es-MX",
         "text": "a key called text", "": "empty key"}
        """

    @Test("A JSON object's keys are reachable as context.<path>")
    func objectKeys() {
        let context = FormContext(content: Self.json)
        #expect(context.isJSONObject)
        #expect(context.value(at: "context.firstName") == "Ann")
        #expect(context.value(at: "context.text") == "a key called text")
    }

    @Test("Nested objects are reached by dotted paths")
    func nestedPaths() {
        let context = FormContext(content: Self.json)
        #expect(context.value(at: "context.address.street") == "Main St 1")
        #expect(context.value(at: "context.address.city") == "Springfield")
        #expect(context.value(at: "context.address.zip") == nil)
        #expect(context.value(at: "context.firstName.more") == nil)
    }

    @Test("Arrays are reached by index")
    func arraysByIndex() {
        let context = FormContext(content: Self.json)
        #expect(context.value(at: "context.items.0") == "apple")
        #expect(context.value(at: "context.items.1.name") == "pear")
        #expect(context.value(at: "context.items.2") == "7")
        #expect(context.value(at: "context.items.3") == nil)
        #expect(context.value(at: "context.items.-1") == nil)
        #expect(context.value(at: "context.items.first") == nil)
    }

    @Test("Numbers come back as JSON text and booleans as true/false")
    func numbersAndBooleans() {
        let context = FormContext(content: Self.json)
        #expect(context.value(at: "context.age") == "42")
        #expect(context.value(at: "context.ratio") == "3.5")
        #expect(context.value(at: "context.big") == "12345678901234567890", "no digits lost to Double")
        #expect(context.value(at: "context.vip") == "true")
        #expect(context.value(at: "context.blocked") == "false")
    }

    @Test("null, objects, arrays and missing keys have no value")
    func noValue() {
        let context = FormContext(content: Self.json)
        #expect(context.value(at: "context.nothing") == nil)
        #expect(context.value(at: "context.address") == nil)
        #expect(context.value(at: "context.items") == nil)
        #expect(context.value(at: "context.missing") == nil)
    }

    @Test("A number too large for a Decimal counts as absent, without losing the rest")
    func hugeNumber() {
        let context = FormContext(content: #"{"firstName": "Ann", "huge": 1e400}"#)
        #expect(context.isJSONObject)
        #expect(context.value(at: "context.firstName") == "Ann")
        #expect(context.value(at: "context.huge") == nil)
    }

    @Test("Paths must start with context.")
    func pathsStartWithContext() {
        let context = FormContext(content: Self.json)
        #expect(context.value(at: "firstName") == nil)
        #expect(context.value(at: "ctx.firstName") == nil)
        #expect(context.value(at: "context") == nil)
        #expect(context.value(at: "") == nil)
    }

    @Test("The form and lang keys pick the form and the language")
    func formAndLanguage() {
        let context = FormContext(content: Self.json)
        #expect(context.formId == "address-update")
        #expect(context.language == "es-MX")
        let numbers = FormContext(content: #"{"form": 7, "lang": true}"#)
        #expect(numbers.formId == nil, "only strings")
        #expect(numbers.language == nil)
    }

    @Test(
        "Anything but a JSON object is available whole as context.text",
        arguments: [
            "Customer wants to move", "", "   ", "{not json", #"{"a": }"#, #"{"a": 1"#, #"["a", "b"]"#, #""just a string""#, "42", "true", "null",
        ]
    )
    func otherContentIsText(_ content: String) {
        let context = FormContext(content: content)
        #expect(!context.isJSONObject)
        #expect(context.value(at: "context.text") == content)
        #expect(context.value(at: "context.0") == nil)
        #expect(context.formId == nil && context.language == nil)
    }

    @Test("Text that only mentions form and lang picks nothing")
    func textMentioningKeys() {
        let context = FormContext(content: "form: address-update, lang: es")
        #expect(context.formId == nil)
        #expect(context.language == nil)
    }

    @Test("NUL characters are dropped from every value, in JSON and in plain text")
    func nulDropped() {
        let json = FormContext(content: #"{"name":"A\u0000na","nested":{"list":["x\u0000y"]}}"#)
        #expect(json.value(at: "context.name") == "Ana")
        #expect(json.value(at: "context.nested.list.0") == "xy")
        let text = FormContext(content: "plain\u{0} text")
        #expect(text.value(at: "context.text") == "plain text")
    }
}
