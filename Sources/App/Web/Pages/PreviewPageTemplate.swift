/// The neutral page link previews and scanners get (``LinkPreviewMiddleware``): the brand's name
/// and "Secure form", as an Open Graph card, and nothing about the person or their session.
enum PreviewPageTemplate {
    static func compile(language: String, presentation: Presentation) -> CompiledPage<StaticPageState> {
        let messages = presentation.messages
        let title = messages.text("page.preview.title", language)
        var chrome = presentation.chrome(title: title, language: language)
        chrome.openGraph = (title: presentation.branding.displayName ?? title, description: title)
        var page = PageBuilder<StaticPageState>()
        Layout.write(chrome, into: &page) { page in
            page.markup("<div class=\"panel\">\n<h1>")
            page.text(title)
            page.markup("</h1>\n<p>")
            page.text(messages.text("page.preview.message", language))
            page.markup("</p>\n</div>\n")
        }
        return page.build()
    }
}
