import Forms

/// A page that says one thing, with at most one action: confirmation, "already completed",
/// "link expired", "page expired", "temporarily unavailable"…
struct MessagePage: PageModel {
    static let template = "message"

    let chrome: PageChrome
    let heading: String
    let message: String
    let actionURL: String?
    let actionLabel: String?
    /// Confirmation-like pages get a calm look; problems another.
    let isSuccess: Bool
}

extension MessagePage {
    init(_ page: StatusPage, language: String, presentation: Presentation, form: FormDefinition? = nil, actionURL: String? = nil) {
        let messages = presentation.messages
        let title = messages.text("page.\(page.rawValue).title", language)
        chrome = presentation.chrome(title: title, language: language, form: form)
        heading = title
        message = messages.text("page.\(page.rawValue).message", language)
        self.actionURL = actionURL
        actionLabel = actionURL == nil ? nil : messages.text("page.\(page.rawValue).action", language)
        isSuccess = [.confirmation, .declined, .alreadyCompleted].contains(page)
    }
}
