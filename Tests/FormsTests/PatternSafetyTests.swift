import Foundation
import Testing

@testable import Forms

/// Patterns in form files cannot hold a thread (issue 12): the shapes known to backtrack
/// catastrophically are refused when the form loads, and every match runs under a time limit.
@Suite("Pattern safety")
struct PatternSafetyTests {
    static func yaml(pattern: String) -> String {
        formYAML(fields: "  - name: street\n    pattern: \(IntroRenderingTests.jsonQuoted(pattern))")
    }

    @Test(
        "a repeated group holding a repetition, or a back-reference, is refused at load with file, field and reason",
        arguments: [#"(a+)+$"#, #"(a*)*"#, #"(\w+\s?)*"#, #"([a-z]+-?){2,}"#, #"(?:x+|y)+"#, #"((ab)+c)*"#, #"(a+){1,20}"#, #"(a)\1"#]
    )
    func refused(pattern: String) {
        let found = problems(in: Self.yaml(pattern: pattern)).map(\.description)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.hasPrefix(#"form.yaml: field "street": pattern "#) == true, "\(found)")
        #expect(found.first?.contains("exponential time") == true, "\(found)")
    }

    @Test(
        "ordinary patterns load",
        arguments: [
            "[A-Za-z0-9][A-Za-z0-9 -]{1,8}[A-Za-z0-9]", "[0-9]{4}", #"([A-Z]{2})?\d+"#, "(ab)+", #"\d{3,6}"#, "[(+]+", #"\(a+\)+"#,
            "(a|b)*c", "[a-z]+(-[a-z]+)?", "(x{2}){3}",
        ]
    )
    func accepted(pattern: String) {
        #expect(problems(in: Self.yaml(pattern: pattern)).isEmpty)
    }

    @Test("a pattern that backtracks without nesting runs out of its time limit: no match, no held thread", .timeLimit(.minutes(1)))
    func boundedMatch() throws {
        // Overlapping alternatives under a repetition: exponential, and no load check refuses it.
        let field = FieldDefinition(name: "a", maxLength: 100, pattern: "(a|aa)+")
        #expect(ValueRules.catastrophicShape(of: "(a|aa)+") == nil)
        let evil = String(repeating: "a", count: 90) + "!"
        let validation = FormDefinition(id: "t", title: "T", fields: [field]).validate(["a": [evil]])
        #expect(validation.errors.first?.problem == .patternMismatch)
        // The same pattern still decides ordinary values.
        #expect(FormDefinition(id: "t", title: "T", fields: [field]).validate(["a": ["aaaa"]]).isValid)
    }
}
