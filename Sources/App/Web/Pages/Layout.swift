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
    /// Open Graph's title and description, for the page link previews see.
    var openGraph: (title: String, description: String)? = nil
    var hasBrand: Bool { logo != nil || displayName != nil }
}

/// The markup around every page: the document, its head, the brand header and `<main>`.
enum Layout {
    /// - Parameters:
    ///   - titlePrefix: written before the title (the form page's "Error:" when it has errors).
    ///   - content: the page's own markup, inside `<main>`.
    static func write<State>(
        _ chrome: PageChrome,
        into page: inout PageBuilder<State>,
        titlePrefix: (inout PageBuilder<State>) -> Void = { _ in },
        content: (inout PageBuilder<State>) -> Void
    ) {
        page.markup("<!doctype html>\n<html")
        page.attribute("lang", chrome.lang)
        page.attribute("dir", chrome.dir)
        page.markup(">\n<head>\n<meta charset=\"utf-8\">\n")
        page.markup("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        page.markup("<meta name=\"referrer\" content=\"same-origin\">\n")
        if let openGraph = chrome.openGraph {
            page.markup("<meta property=\"og:type\" content=\"website\">\n<meta property=\"og:title\"")
            page.attribute("content", openGraph.title)
            page.markup(">\n<meta property=\"og:description\"")
            page.attribute("content", openGraph.description)
            page.markup(">\n")
        }
        page.markup("<title>")
        titlePrefix(&page)
        page.text(chrome.pageTitle)
        page.markup("</title>\n<link rel=\"icon\"")
        page.attribute("href", chrome.favicon)
        page.markup(">\n<link rel=\"stylesheet\"")
        page.attribute("href", chrome.stylesheet)
        page.markup(">\n")
        if let brandStylesheet = chrome.brandStylesheet {
            page.markup("<link rel=\"stylesheet\"")
            page.attribute("href", brandStylesheet)
            page.markup(">\n")
        }
        if let script = chrome.script {
            page.markup("<script")
            page.attribute("src", script)
            page.markup(" defer></script>\n")
        }
        page.markup("</head>\n<body>\n")
        if chrome.hasBrand {
            page.markup("<header class=\"brand\">")
            if let logo = chrome.logo {
                page.markup("<img class=\"brand__logo\"")
                page.attribute("src", logo)
                page.markup(" alt=\"\">")
            }
            if let displayName = chrome.displayName {
                page.markup("<span class=\"brand__name\">")
                page.text(displayName)
                page.markup("</span>")
            }
            page.markup("</header>\n")
        }
        page.markup("<main class=\"page\" id=\"main\">\n")
        content(&page)
        page.markup("</main>\n</body>\n</html>\n")
    }
}
