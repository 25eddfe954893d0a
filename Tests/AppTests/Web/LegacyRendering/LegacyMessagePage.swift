// Today's renderer (before compiled pages), kept so the differential tests can prove the
// compiled pages produce the same bytes. Do not change it to make a test pass.

import Forms

@testable import App

/// A page that says one thing, with at most one action: confirmation, "already completed",
/// "link expired", "page expired", "temporarily unavailable"…
struct LegacyMessagePage: LegacyPageModel {
    static let template = "message"

    let chrome: LegacyChrome
    let heading: String
    let message: String
    let actionURL: String?
    let actionLabel: String?
    /// Confirmation-like pages get a calm look; problems another.
    let isSuccess: Bool
}

extension LegacyMessagePage {
    init(_ page: StatusPage, language: String, presentation: Presentation, form: FormDefinition? = nil, actionURL: String? = nil) {
        let messages = presentation.messages
        let title = messages.text("page.\(page.rawValue).title", language)
        chrome = LegacyChrome.make(presentation, title: title, language: language, form: form)
        heading = title
        message = messages.text("page.\(page.rawValue).message", language)
        self.actionURL = actionURL
        actionLabel = actionURL == nil ? nil : messages.text("page.\(page.rawValue).action", language)
        isSuccess = [.confirmation, .declined, .alreadyCompleted].contains(page)
    }
}
