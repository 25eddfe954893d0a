import Forms
import Foundation
import Hummingbird
import Mustache

/// Renders the HTML pages from the bundled Mustache templates, loaded and checked once at start-up.
struct PageRenderer: Sendable {
    /// Every template a page uses; a missing one stops start-up.
    static let requiredTemplates = ["layout", "form", "message", "console"]

    private let library: MustacheLibrary

    static func bundled() async throws(StartupError) -> PageRenderer {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw StartupError(problems: ["templates: the Templates resource folder is missing from the build"])
        }
        // Every template must escape with the scalar-level escaper (see HTMLEscaping).
        let pragma = "{{% CONTENT_TYPE: \(HTMLEscaping.mustacheContentType)}}"
        var unsafe: [String] = []
        for name in requiredTemplates {
            let file = directory.appendingPathComponent("\(name).mustache")
            if let text = try? String(contentsOf: file, encoding: .utf8), !text.hasPrefix(pragma) {
                unsafe.append("templates: \(name).mustache must start with \(pragma)")
            }
        }
        if !unsafe.isEmpty { throw StartupError(problems: unsafe) }
        let library: MustacheLibrary
        do {
            library = try await MustacheLibrary(directory: directory.path)
        } catch {
            throw StartupError(problems: ["templates: cannot load \(directory.path): \(error)"])
        }
        let missing = requiredTemplates.filter { library.getTemplate(named: $0) == nil }
        if !missing.isEmpty {
            throw StartupError(problems: ["templates: missing \(missing.map { "\($0).mustache" }.joined(separator: ", "))"])
        }
        return PageRenderer(library: library)
    }

    /// An HTML response; pages carry personal data, so nothing may be cached.
    func render(_ page: some PageModel, status: HTTPResponse.Status = .ok) -> Response {
        guard let html = html(page) else {
            // Only reachable if a template vanished after the start-up check.
            return Response(
                status: .internalServerError,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "Internal error\n"))
            )
        }
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }

    /// The page's HTML.
    func html(_ page: some PageModel) -> String? {
        library.render(page, withTemplate: type(of: page).template)
    }
}

/// A typed model for one template; the layout reads its ``PageChrome`` as `chrome`.
protocol PageModel: Sendable {
    static var template: String { get }
}

/// The parts every page's layout needs; made by ``Presentation/chrome(title:language:form:script:)``.
struct PageChrome: Sendable {
    let lang: String
    let dir: String
    let pageTitle: String
    let stylesheet: String
    /// The brand's colours, when it sets any.
    let brandStylesheet: String?
    /// `data:,` when no icon is configured, so browsers do not ask for /favicon.ico.
    let favicon: String
    let logo: String?
    let displayName: String?
    /// Only the form page has a script (conditional fields, focus on errors).
    let script: String?
    var hasBrand: Bool { logo != nil || displayName != nil }
}
