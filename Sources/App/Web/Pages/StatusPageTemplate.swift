import Forms

/// A status page to show: what a controller, the form flow or a middleware decided, before it is
/// a response. ``PageLibrary/response(for:request:)`` is the one place that makes it one.
struct StatusReply: Sendable {
    var page: StatusPage
    /// `nil`: negotiated from the request (its `lang` query parameter, then `Accept-Language`).
    var language: String?
    /// The form whose brand the page wears; its languages do not limit the page, which shows
    /// none of its texts.
    var form: FormDefinition?
    /// The page's one button ("Reload", "Try again").
    var actionURL: String?
    /// Instead of the page's own status: 409 for "already completed" in answer to a POST.
    var statusCode: HTTPStatusCode?
    /// Seconds, for `Retry-After`.
    var retryAfter: Int?
    /// A paragraph of the form's own, after the page's message: the locked page's `verify.help`.
    var detail: String?

    init(
        _ page: StatusPage,
        language: String? = nil,
        form: FormDefinition? = nil,
        actionURL: String? = nil,
        statusCode: HTTPStatusCode? = nil,
        retryAfter: Int? = nil,
        detail: String? = nil
    ) {
        self.page = page
        self.language = language
        self.form = form
        self.actionURL = actionURL
        self.statusCode = statusCode
        self.retryAfter = retryAfter
        self.detail = detail
    }
}

/// What varies on a status page: its button's URL and the form's own paragraph, if it has them.
struct StatusPageState: PageState {
    enum Slot: Sendable { case actionURL, detail }
    enum Condition: Sendable { case hasAction, hasDetail }

    let actionURL: String?
    var detail: String? = nil

    func write(_ slot: Slot, to html: inout HTMLOutput) {
        switch slot {
        case .actionURL: html.writeEscaped(actionURL ?? "")
        case .detail: html.writeEscaped(detail ?? "")
        }
    }

    func holds(_ condition: Condition) -> Bool {
        switch condition {
        case .hasAction: actionURL != nil
        case .hasDetail: detail != nil
        }
    }
}

/// The markup of the pages that say one thing and offer at most one action.
enum StatusPageTemplate {
    static func compile(
        _ status: StatusPage,
        language: String,
        form: FormDefinition?,
        presentation: Presentation
    ) -> CompiledPage<
        StatusPageState
    > {
        let messages = presentation.messages
        let title = messages.text("page.\(status.rawValue).title", language)
        var page = PageBuilder<StatusPageState>()
        Layout.write(presentation.chrome(title: title, language: language, form: form), into: &page) { page in
            // Confirmation-like pages get a calm look; problems another.
            let isSuccess = [.confirmation, .declined, .alreadyCompleted].contains(status)
            page.markup(isSuccess ? "<div class=\"panel panel--success\">\n<h1>" : "<div class=\"panel\">\n<h1>")
            page.text(title)
            page.markup("</h1>\n<p>")
            page.text(messages.text("page.\(status.rawValue).message", language))
            page.markup("</p>\n")
            page.section(.hasDetail) { page in
                page.markup("<p class=\"help\">")
                page.slot(.detail)
                page.markup("</p>\n")
            }
            page.section(.hasAction) { page in
                page.markup("<p><a class=\"button\" href=\"")
                page.slot(.actionURL)
                page.markup("\">")
                page.text(messages.text("page.\(status.rawValue).action", language))
                page.markup("</a></p>\n")
            }
            page.markup("</div>\n")
        }
        return page.build()
    }
}
