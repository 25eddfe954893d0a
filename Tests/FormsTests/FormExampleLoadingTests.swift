import Forms
import Testing

/// `example:`: the context a form's preview is shown with, read from the form file.
@Suite("A form's example context")
struct FormExampleLoadingTests {
    @Test("an example mapping becomes the context its prefills, intro and nested paths read")
    func exampleIsTheContext() throws {
        let form = try loadForm(
            formYAML(
                fields: "  - name: street\n    prefill: context.street\n  - name: city\n    prefill: context.address.city\n",
                extra: "intro: \"Hi {{context.firstName}}\"\nexample:\n  firstName: Ana\n  street: 12 Harbour Road\n  address: {city: Bristol}\n"
            )
        )
        let example = try #require(form.example)
        #expect(example.isJSONObject)
        #expect(form.prefilledValues(from: example) == ["street": ["12 Harbour Road"], "city": ["Bristol"]])
        #expect(form.renderIntro(context: example) == "Hi Ana")
    }

    @Test("values keep the text they are written as, so codes with leading zeros survive; true and false are booleans")
    func valuesKeepTheirText() throws {
        let form = try loadForm(formYAML(extra: "example: {accountLast4: 0347, count: 12, subscribed: true, nothing: ~}\n"))
        let example = try #require(form.example)
        #expect(example.value(at: "context.accountLast4") == "0347")
        #expect(example.value(at: "context.count") == "12")
        #expect(example.value(at: "context.subscribed") == "true")
        #expect(example.value(at: "context.nothing") == nil)
    }

    @Test("a form without example: has none")
    func noExample() throws {
        #expect(try loadForm(formYAML()).example == nil)
    }

    @Test("an example that is not a mapping is a problem at its line")
    func exampleMustBeAMapping() {
        let yaml = formYAML(extra: "example: [firstName, Ana]\n")
        let found = placedProblems(in: yaml)
        #expect(found.map(\.reason) == ["example must be a mapping (key: value lines)"])
        let line = yaml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("example:") }.map { $0 + 1 }
        #expect(found.first?.line == line)
        #expect(found.first?.line != nil)
    }

    @Test("a misspelt example key is suggested")
    func misspeltKey() {
        #expect(
            problems(in: formYAML(extra: "exmaple: {firstName: Ana}\n")).map(\.description) == [
                "form.yaml: unknown key \"exmaple\" (did you mean \"example\"?)"
            ]
        )
    }
}
