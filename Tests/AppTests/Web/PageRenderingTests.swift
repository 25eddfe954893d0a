import Forms
import Foundation
import Mustache
import Testing

@testable import App

/// The page models answer Mustache by name (MustacheParent) rather than by reflection, for
/// speed; each must answer every one of its stored properties, with the property's value.
@Suite("Page models answer Mustache by name")
struct PageRenderingTests {
    @Test("every stored property of every page model is answered, with its value", arguments: ["en", "es", "ar"])
    func childrenMatchProperties(language: String) async throws {
        let messages = try MessageCatalog.bundled()
        let forms = try FormCatalog.load(directory: packageRoot.appendingPathComponent("config/forms").path)
        let branding = Branding(displayName: "Acme", logo: "img/logo.svg", favicon: "icon.png", primaryColor: BrandColor(hex: "#8a1538"))
        let presentation = Presentation(urls: AppURLs(basePath: "/forms"), messages: messages, branding: branding, forms: forms)
        let context = FormContext(content: #"{"firstName":"Ana","street":"1 Old Road","country":"ES"}"#)
        var seen: Set<String> = []
        for form in forms.forms {
            let localized = form.localized(to: language)
            let submitted = localized.validate(["contactMethod": ["phone"], "accountDigits": ["12a4"], "email": ["x"], "rating": ["9"]])
            let page = FormPage(
                form: localized,
                values: submitted.values,
                errors: submitted.errors,
                introHTML: localized.renderIntro(context: context),
                language: language,
                presentation: presentation,
                action: "/forms/f/\(form.id)?sessionId=abc",
                token: "token"
            )
            check(page, seen: &seen)
        }
        for status in StatusPage.allCases {
            check(MessagePage(status, language: language, presentation: presentation, actionURL: "/forms/x"), seen: &seen)
        }
        // Every kind of model was met with its optionals set, so a missing case cannot hide behind a nil.
        for name in [
            "FormPage.introHTML", "FieldView.help", "FieldView.error", "FieldView.condition", "FieldView.enterAgain",
            "FieldView.optionalText", "PageChrome.logo", "PageChrome.script", "MessagePage.actionURL", "ConditionView.hint",
            "OptionView.label", "SummaryItem.target",
        ] {
            #expect(seen.contains(name), "\(name) was never seen set")
        }
    }

    /// Compares `value.child(named:)` with the value's own Mirror, recursively, and records
    /// which properties were seen set (`Type.property`).
    private func check(_ value: Any, seen: inout Set<String>) {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .collection {
            for element in mirror.children { check(element.value, seen: &seen) }
            return
        }
        guard let parent = value as? any MustacheParent else { return }
        let typeName = String(describing: type(of: value)).split(separator: ".").last.map(String.init) ?? ""
        #expect(parent.child(named: "noSuchProperty") == nil)
        for property in mirror.children {
            guard let name = property.label else { continue }
            let expected = Self.unwrapped(property.value)
            let answered = parent.child(named: name)
            #expect(
                answered.map { String(describing: $0) } == expected.map { String(describing: $0) },
                "\(typeName).\(name) is not answered as stored"
            )
            if let expected {
                seen.insert("\(typeName).\(name)")
                check(expected, seen: &seen)
            }
        }
    }

    private static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }
}
