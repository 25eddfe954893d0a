import AlvariaModels
import Forms
import Foundation
import PropertyBased
import Testing

@testable import App

/// The compiled pages write what the Mustache templates wrote before them (kept in
/// `LegacyRendering/`), byte for byte but for the whitespace between tags.
@Suite("Compiled pages match the pages rendered before them")
struct CompiledPageTests {
    /// A form with every field type, showIf on a select and a checkbox, a sensitive field, a hidden
    /// prefilled and a hidden fixed value, a decline button, its own brand and a translation.
    static let everyTypeYAML = """
        id: every-type
        title: "Every type <of> field & \\"quotes\\""
        intro: "{{#context.firstName}}Hi {{context.firstName}}{{/context.firstName}}{{^context.firstName}}Hello{{/context.firstName}} – ref {{context.ref}} <b>"
        submitLabel: Go & send
        branding: {displayName: "Acme & Co", logo: img/acme.svg, primaryColor: "#0b5cad"}
        fields:
          - {name: name, label: "Full name", type: text, required: true, minLength: 2, maxLength: 80, pattern: "[A-Za-z ]+", placeholder: "Ana 'A' García", help: "As on your ID", prefill: context.firstName}
          - {name: notes, label: "Notes?", type: textarea, maxLength: 300, help: Anything else}
          - {name: email, label: Email, type: email, prefill: context.email}
          - {name: phone, label: Phone, type: tel, autocomplete: tel-national}
          - {name: site, label: Website, type: url}
          - {name: age, label: Age, type: number, min: "18", max: "120", step: "1"}
          - {name: amount, label: Amount, type: number, step: "0.01"}
          - {name: day, label: Day, type: date, min: "2026-01-01", max: "2027-12-31"}
          - {name: at, label: Time, type: time}
          - name: colour
            label: Colour
            type: select
            required: true
            prefill: context.colour
            options: [{value: red, label: "Red <warm>"}, {value: blue, label: Blue}]
          - name: size
            label: Size
            type: radio
            required: true
            options: [{value: s, label: Small}, {value: l, label: "Large & more"}]
          - {name: agree, label: I agree, type: checkbox, required: true, prefill: context.vip}
          - name: topics
            label: Topics
            type: checkboxes
            prefill: context.topics
            options: [{value: a, label: Alpha}, {value: b, label: Beta}, {value: c, label: Gamma}]
          - {name: pin, label: PIN, type: text, sensitive: true, required: true, pattern: "[0-9]{4}", help: Four digits}
          - {name: shade, label: Shade, type: text, showIf: {field: colour, equals: red}, required: true}
          - {name: why, label: Why, type: textarea, showIf: {field: agree, equals: "false"}}
          - {name: customerId, type: hidden, prefill: context.customerId}
          - {name: channel, type: hidden, value: sms}
        decline:
          label: "No thanks"
          variables: {status: declined}
        translations:
          es:
            title: Todos los tipos
            intro: "Hola {{context.firstName}}"
            submitLabel: Enviar
            declineLabel: No, gracias
            fields:
              name: {label: Nombre completo, help: Como en su DNI}
              colour: {label: Color, options: {red: Rojo, blue: Azul}}
        """

    static let contexts = [
        #"{"firstName":"Ana \"<x>\"","email":"ana@example.com","colour":"red","vip":true,"topics":["a","c"],"customerId":"C-7'","ref":42}"#,
        #"{"firstName":"","colour":"green","topics":"b, c","vip":"no"}"#,
        "plain text context",
    ]

    struct Fixture {
        let catalog: FormCatalog
        let presentation: Presentation
        let library: PageLibrary
        let legacy: LegacyRenderer
    }

    static func fixture(basePath: String = "/forms", branding: Branding = Branding()) throws -> Fixture {
        let directory = try temporaryDirectory()
        for file in try FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("config/forms").path) {
            try FileManager.default.copyItem(
                at: packageRoot.appendingPathComponent("config/forms/\(file)"),
                to: directory.appendingPathComponent(file)
            )
        }
        try everyTypeYAML.write(to: directory.appendingPathComponent("every-type.yaml"), atomically: true, encoding: .utf8)
        let catalog = try FormCatalog.load(directory: directory.path)
        let presentation = Presentation(urls: AppURLs(basePath: basePath), messages: try MessageCatalog.bundled(), branding: branding, forms: catalog)
        return Fixture(
            catalog: catalog,
            presentation: presentation,
            library: PageLibrary(forms: catalog, presentation: presentation),
            legacy: try LegacyRenderer()
        )
    }

    /// The whitespace between tags may differ (the templates left blank lines); nothing else.
    static func normalized(_ html: String) -> String {
        html.replacingOccurrences(of: #">\s+<"#, with: "><", options: .regularExpression).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func comparePage(
        _ fixture: Fixture,
        form: FormDefinition,
        language: String,
        values: FormValues,
        errors: [FieldError],
        introHTML: String?,
        sessionId: SessionID,
        token: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let localized = form.localized(to: language)
        let legacyPage = LegacyFormPage(
            form: localized,
            values: values,
            errors: errors,
            introHTML: introHTML,
            language: language,
            presentation: fixture.presentation,
            action: fixture.presentation.urls.form(form.id, sessionId: sessionId.rawValue),
            token: token
        )
        let expected = try #require(fixture.legacy.html(legacyPage), sourceLocation: sourceLocation)
        let compiled = try #require(fixture.library.form(form.id, language: language), sourceLocation: sourceLocation)
        let actual = String(buffer: compiled.render(values: values, errors: errors, introHTML: introHTML, sessionId: sessionId, token: token))
        #expect(normalized(actual) == normalized(expected), "\(form.id) in \(language)", sourceLocation: sourceLocation)
    }

    /// Every problem a field can have, one per field in turn, so that each kind of message is met.
    static let problems: [FieldProblem] = [
        .required, .tooShort(minimum: 2), .tooLong(maximum: 80), .patternMismatch, .invalidEmail, .invalidURL, .invalidTelephone,
        .invalidNumber, .belowMinimum("18"), .aboveMaximum("120"), .stepMismatch("0.01"), .invalidDate, .invalidTime, .notAnOption,
    ]

    @Test(
        "every form in every language: prefilled, invalid as validated, an error on every field",
        arguments: ["en", "es", "fr", "de", "ar"]
    )
    func everyFormEveryLanguage(language: String) throws {
        for (basePath, branding) in [
            ("", Branding()), ("/forms", Branding(displayName: "Bank", favicon: "icon.png", primaryColor: BrandColor(hex: "#8a1538"))),
        ] {
            let fixture = try Self.fixture(basePath: basePath, branding: branding)
            let sessionId = try #require(SessionID("S-1.a_b:c"))
            // The legacy renderer was frozen before file fields: their markup is checked in UploadTests.
            for form in fixture.catalog.forms where !form.hasFileFields {
                let localized = form.localized(to: language)
                for content in Self.contexts {
                    let context = FormContext(content: content)
                    // Opened: prefilled, no errors.
                    try Self.comparePage(
                        fixture,
                        form: form,
                        language: language,
                        values: localized.prefilledValues(from: context),
                        errors: [],
                        introHTML: localized.renderIntro(context: context),
                        sessionId: sessionId,
                        token: "1764500000.abc-_XYZ"
                    )
                }
                // Sent with bad values: the validation's own errors, the sensitive field asked again.
                let submitted = localized.validate([
                    "name": ["A"], "email": ["x"], "age": ["9"], "amount": ["1.234"], "colour": ["red"], "size": ["m"], "pin": ["12a4"],
                    "accountDigits": ["12a4"], "contactMethod": ["phone"], "rating": ["9"], "topics": ["a", "zzz"],
                ])
                try Self.comparePage(
                    fixture,
                    form: form,
                    language: language,
                    values: submitted.values,
                    errors: submitted.errors,
                    introHTML: nil,
                    sessionId: sessionId,
                    token: "t"
                )
                // An error on every field, whatever it is.
                let everyError = form.fields.enumerated().map { index, field in
                    FieldError(field: field.name, problem: Self.problems[index % Self.problems.count])
                }
                try Self.comparePage(
                    fixture,
                    form: form,
                    language: language,
                    values: submitted.values,
                    errors: everyError,
                    introHTML: "<b>already escaped</b>",
                    sessionId: sessionId,
                    token: "t"
                )
            }
        }
    }

    @Test("every status page in every language and brand, with and without its button")
    func statusPages() throws {
        let fixture = try Self.fixture()
        let brands: [FormDefinition?] = [nil] + fixture.catalog.forms
        for language in ["en", "es", "fr", "de", "ar"] {
            for status in StatusPage.allCases {
                for form in brands {
                    for actionURL in [nil, "/forms/f/x?sessionId=a&lang=es", "/x?\"<'>"] {
                        let legacy = LegacyMessagePage(
                            status,
                            language: language,
                            presentation: fixture.presentation,
                            form: form,
                            actionURL: actionURL
                        )
                        let expected = try #require(fixture.legacy.html(legacy))
                        let response = fixture.library.statusHTML(StatusReply(status, language: language, form: form, actionURL: actionURL))
                        #expect(Self.normalized(response) == Self.normalized(expected), "\(status) in \(language)")
                    }
                }
            }
        }
    }

    /// Strings that break careless escapers: quotes and brackets, a combining mark after a quote
    /// or a bracket, bidirectional marks, emoji, NUL and controls, long runs.
    static let awkwardPieces = [
        "\"", "'", "<", ">", "&", "\"\u{0301}", "<\u{0338}", "&amp;", "\u{202E}", "\u{200F}", "👩🏽‍💻", "\u{0000}", "\t", "\n", "e\u{0301}",
        "x", "Ana", " ", "=", "&#39;", "\r\n", "ﷺ", "𝕏",
    ]
    static let awkward = Gen.int(in: 0...(awkwardPieces.count - 1)).map { awkwardPieces[$0] }.array(of: 0...40)
        .map { $0.joined() }

    @Test("random values in every slot render the same both ways")
    func randomSlotValues() async throws {
        let fixture = try Self.fixture()
        let form = try #require(fixture.catalog["every-type"])
        let sessionId = try #require(SessionID("S1"))
        await propertyCheck(count: 300, input: Self.awkward, Self.awkward, Self.awkward) { value, other, long in
            let values: FormValues = [
                "name": [value], "notes": [other + long], "email": [long], "colour": [value], "size": [other], "topics": [value, other],
                "agree": [value], "customerId": [long], "pin": [value], "channel": [other],
            ]
            let errors = [FieldError(field: "name", problem: .belowMinimum(other)), FieldError(field: "pin", problem: .tooShort(minimum: 4))]
            for language in ["en", "ar"] {
                try? Self.comparePage(
                    fixture,
                    form: form,
                    language: language,
                    values: values,
                    errors: [],
                    introHTML: HTMLEscaping.escape(long),
                    sessionId: sessionId,
                    token: value
                )
                try? Self.comparePage(
                    fixture,
                    form: form,
                    language: language,
                    values: values,
                    errors: errors,
                    introHTML: nil,
                    sessionId: sessionId,
                    token: other
                )
            }
        }
    }

    @Test("the escaper of request-time values is the form engine's, scalar by scalar")
    func escaperMatches() async {
        await propertyCheck(count: 2_000, input: Self.awkward) { text in
            var output = HTMLOutput(capacity: 16)
            output.writeEscaped(text)
            #expect(String(buffer: output.buffer) == HTMLEscaping.escape(text))
        }
    }
}

extension PageLibrary {
    func statusHTML(_ reply: StatusReply) -> String {
        String(buffer: statusPage(reply, language: reply.language ?? "en"))
    }
}
