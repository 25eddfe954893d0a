import Foundation
import PropertyBased
import Testing

@testable import Forms

/// The intro is Mustache whose output is always HTML-escaped.
@Suite("Intro rendering")
struct IntroRenderingTests {
    static func render(_ intro: String, _ content: String) throws -> String? {
        let form = try FormDefinition.parse(yaml: formYAML(extra: "intro: \(jsonQuoted(intro))"), file: "form.yaml")
        return form.renderIntro(context: FormContext(content: content))
    }

    /// YAML accepts JSON strings, which saves escaping by hand.
    static func jsonQuoted(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }

    static func contextJSON(_ values: [String: String]) -> String {
        String(decoding: try! JSONEncoder().encode(values), as: UTF8.self)
    }

    @Test("Context values are rendered, reached by dotted paths")
    func rendersValues() throws {
        let content = #"{"firstName": "Ann", "address": {"city": "Springfield"}, "items": ["a", "b"], "age": 42, "vip": true}"#
        #expect(try Self.render("Hi {{context.firstName}} from {{context.address.city}}", content) == "Hi Ann from Springfield")
        #expect(try Self.render("{{context.items.1}} {{context.age}}", content) == "b 42")
        #expect(try Self.render("{{#context.items}}[{{.}}]{{/context.items}}", content) == "[a][b]")
        #expect(try Self.render("{{#context.vip}}VIP {{/context.vip}}{{^context.blocked}}ok{{/context.blocked}}", content) == "VIP ok")
    }

    @Test("HTML in values is escaped: tags, quotes and ampersands")
    func escapesValues() throws {
        let content = Self.contextJSON(["name": #"<script>alert("x")</script> & 'friends'"#])
        #expect(
            try Self.render("Hi {{context.name}}!", content)
                == "Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;friends&#39;!"
        )
    }

    @Test("A < followed by a combining accent is escaped too")
    func escapesCombiningSequences() throws {
        let content = Self.contextJSON(["name": "<\u{301}img src=x onerror=alert(1)>\u{301}\"\u{301}"])
        let rendered = try #require(try Self.render("{{context.name}}", content))
        #expect(!rendered.unicodeScalars.contains("<"))
        #expect(!rendered.unicodeScalars.contains(">"))
        #expect(!rendered.unicodeScalars.contains("\""))
    }

    @Test("The intro's own text is escaped as well, so the result is safe to insert as is")
    func escapesLiteralText() throws {
        #expect(try Self.render("Terms & conditions <see below>", "{}") == "Terms &amp; conditions &lt;see below&gt;")
    }

    @Test("A missing key renders as nothing")
    func missingKeyRendersEmpty() throws {
        #expect(try Self.render("Hi {{context.firstName}}!", "{}") == "Hi !")
        #expect(try Self.render("Hi {{context.a.b.c}}!", #"{"a": 1}"#) == "Hi !")
        #expect(try Self.render("Hi {{context.firstName}}!", "plain text") == "Hi !")
    }

    @Test("Plain-text context is available as context.text, escaped")
    func plainTextContext() throws {
        #expect(try Self.render("Note: {{context.text}}", "call <after> 5") == "Note: call &lt;after&gt; 5")
    }

    @Test("Objects and arrays render as nothing rather than as Swift descriptions")
    func containersRenderEmpty() throws {
        #expect(try Self.render("[{{context.a}}][{{context.b}}]", #"{"a": {"<k>": "v"}, "b": [1, 2]}"#) == "[][]")
    }

    @Test("A form without an intro renders none")
    func noIntro() throws {
        let form = try loadForm(formYAML())
        #expect(form.renderIntro(context: FormContext(content: "{}")) == nil)
    }

    @Test("An intro set in code that does not compile comes out as escaped text, never failing")
    func brokenIntroInCode() {
        var form = FormDefinition(id: "t", title: "T", fields: [FieldDefinition(name: "a")])
        form.intro = "Hi {{{context.name}}} <b>"
        #expect(form.renderIntro(context: FormContext(content: #"{"name": "<x>"}"#)) == "Hi {{{context.name}}} &lt;b&gt;")
        form.intro = "Hi {{context.name}}"
        #expect(form.renderIntro(context: FormContext(content: #"{"name": "<x>"}"#)) == "Hi &lt;x&gt;")
    }

    /// Undoes exactly the five escapes, scalar by scalar (Character-based search would miss
    /// `&lt;` when a combining mark follows its `;`).
    static func unescape(_ html: String) -> String {
        let entities: [(String, Unicode.Scalar)] = [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")]
        var scalars = html.unicodeScalars[...]
        var result = String.UnicodeScalarView()
        next: while let scalar = scalars.first {
            for (entity, character) in entities where scalars.starts(with: entity.unicodeScalars) {
                result.append(character)
                scalars = scalars.dropFirst(entity.unicodeScalars.count)
                continue next
            }
            result.append(scalar)
            scalars = scalars.dropFirst()
        }
        return String(result)
    }

    /// Printable ASCII with HTML's special characters over-represented, combining marks (which
    /// glue onto the character before them), accented letters and an emoji.
    static let characterPool: [Character] =
        (32...126).map { Character(Unicode.Scalar(UInt8($0))) }
        + Array(String(repeating: "<>&\"'", count: 8))
        + ["\u{301}", "\u{308}", "\u{20DD}", "é", "ñ", "ß", "😀", "\n", "\t"]

    static let awkwardStrings = Gen.int(in: 0...(characterPool.count - 1))
        .map { characterPool[$0] }
        .array(of: 0...40)
        .map { String($0) }

    @Test("For any string in the context, the intro holds it escaped, and unescaping gives it back")
    func anyValueIsEscaped() async throws {
        let form = try loadForm(formYAML(extra: #"intro: "[{{context.value}}]""#))
        await propertyCheck(count: 300, input: Self.awkwardStrings) { value in
            let rendered = Array((form.renderIntro(context: FormContext(content: Self.contextJSON(["value": value]))) ?? "").unicodeScalars)
            #expect(rendered.first == "[" && rendered.last == "]")
            let inner = String(String.UnicodeScalarView(rendered.dropFirst().dropLast()))
            #expect(!inner.unicodeScalars.contains("<"))
            #expect(!inner.unicodeScalars.contains(">"))
            #expect(!inner.unicodeScalars.contains("\""))
            #expect(Self.unescape(inner) == value)
        }
    }

    /// Intro pieces: literal text with HTML's special characters, and `{{context…}}` tags that
    /// reach strings, numbers, booleans, null, arrays, objects, indexes and missing keys.
    static let introPieces = [
        "Hi ", "<b>", "&", "\"", "'", "é", "\u{301}", " ", " ", "\t", "\n", "\r\n", "{{context.name}}", "{{ context.name }}", "{{context.n}}",
        "{{context.big}}",
        "{{context.yes}}", "{{context.no}}", "{{context.nothing}}", "{{context.list}}", "{{context.list.1}}", "{{context.list.9}}",
        "{{context.obj}}", "{{context.obj.city}}", "{{context.name.x}}", "{{context.missing}}", "{{context.obj.deep.er}}",
    ]
    static let intros = Gen.int(in: 0...(introPieces.count - 1)).map { introPieces[$0] }.array(of: 0...12).map { $0.joined() }
    static let contextsForIntros = [
        #"{"name":"Ana <\"&'>","n":42,"big":12345678901234567890.5,"yes":true,"no":false,"nothing":null,"list":["a","<b>",3],"obj":{"city":"Lisbon & Porto","deep":{"er":"x"}}}"#,
        #"{"name":7,"list":"not a list","obj":[]}"#,
        "plain text",
    ]

    @Test("an intro of plain context variables renders as swift-mustache renders it")
    func plainIntroMatchesMustache() async throws {
        await propertyCheck(count: 2_000, input: Self.intros) { source in
            guard let template = try? IntroTemplate.compile(source) else { return }
            for content in Self.contextsForIntros {
                let context = FormContext(content: content)
                #expect(template.render(context) == template.renderWithMustache(context), "\(source)")
            }
        }
    }
}
