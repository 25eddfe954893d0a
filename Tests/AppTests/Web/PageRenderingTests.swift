import Forms
import Foundation
import Testing

@testable import App

/// Pages are rendered from a dictionary tree of their model (MustacheTree) for speed; the HTML
/// must be exactly what rendering the model itself gives.
@Suite("Page rendering")
struct PageRenderingTests {
    @Test("every example form, fresh and with errors, renders the same through the tree", arguments: ["en", "es", "ar"])
    func treeMatchesReflection(language: String) async throws {
        let pages = try await PageRenderer.bundled()
        let messages = try MessageCatalog.bundled()
        let forms = try FormCatalog.load(directory: packageRoot.appendingPathComponent("config/forms").path)
        let branding = Branding(displayName: "Acme <Bank>", logo: "img/logo.svg", primaryColor: BrandColor(hex: "#8a1538"))
        let presentation = Presentation(urls: AppURLs(basePath: "/forms"), messages: messages, branding: branding, forms: forms)
        let context = FormContext(content: #"{"firstName":"Ana <b>","street":"1 Old Road","phone":"+1 555","country":"ES"}"#)
        for form in forms.forms {
            let localized = form.localized(to: language)
            let submitted = localized.validate(["contactMethod": ["phone"], "accountDigits": ["12a4"], "email": ["x"], "rating": ["9"]])
            for (values, errors) in [(localized.prefilledValues(from: context), [FieldError]()), (submitted.values, submitted.errors)] {
                let page = FormPage(
                    form: localized,
                    values: values,
                    errors: errors,
                    introHTML: localized.renderIntro(context: context),
                    language: language,
                    presentation: presentation,
                    action: "/forms/f/\(form.id)?sessionId=abc",
                    token: "token"
                )
                let html = try #require(pages.html(page))
                #expect(html == pages.htmlByReflection(page), "\(form.id), \(errors.count) errors")
                #expect(html.contains("<h1>"))
            }
        }
        for status in StatusPage.allCases {
            let page = MessagePage(status, language: language, presentation: presentation, actionURL: "/forms/x")
            #expect(pages.html(page) == pages.htmlByReflection(page), "\(status)")
        }
    }
}
