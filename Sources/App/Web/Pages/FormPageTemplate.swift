import Forms

/// Which page of a form a compiled page is.
enum FormScreen: Sendable, Hashable {
    /// A single-page form.
    case whole
    /// One step of a multi-step form (its index in `steps`).
    case step(Int)
    /// A multi-step form's review: every answer, then Send.
    case review
}

/// The form page's markup: the one place it is written, for a whole form, a step and a review.
enum FormPageTemplate {
    static func compile(
        _ form: FormDefinition,
        language: String,
        presentation: Presentation,
        screen: FormScreen = .whole
    ) -> CompiledPage<FormPageState> {
        let messages = presentation.messages
        let all = form.fields.enumerated().filter { !$0.element.hasFixedValue }.map { index, field in
            FieldMarkup(index: index, field: field, in: form, language: language, messages: messages)
        }
        let parts = Parts(form: form, language: language, presentation: presentation)
        var page = PageBuilder<FormPageState>()
        switch screen {
        case .whole:
            let chrome = presentation.chrome(title: form.title, language: language, form: form, script: true)
            Layout.write(chrome, into: &page, titlePrefix: parts.errorTitle) { page in
                parts.heading(into: &page)
                parts.intro(into: &page)
                parts.errorSummary(all, into: &page)
                parts.formStart(into: &page)
                for field in all {
                    write(field, errorPrefix: parts.errorPrefix, language: language, messages: messages, into: &page)
                }
                parts.actions(submit: form.submitLabel, into: &page)
            }
        case .step(let index):
            compileStep(index, of: form, fields: all, parts: parts, into: &page)
        case .review:
            compileReview(form, fields: all, parts: parts, into: &page)
        }
        return page.build()
    }

    /// The pieces every kind of form page shares, in one language.
    struct Parts {
        let form: FormDefinition
        let language: String
        let presentation: Presentation
        var messages: MessageCatalog { presentation.messages }
        var errorPrefix: String { messages.text("form.errorPrefix", language) }

        /// "Error: " before the title when the page has errors.
        func errorTitle(into page: inout PageBuilder<FormPageState>) {
            let prefix = errorPrefix
            page.section(.hasErrors) { $0.text("\(prefix) ") }
        }

        func heading(into page: inout PageBuilder<FormPageState>) {
            page.markup("<h1>")
            page.text(form.title)
            page.markup("</h1>\n")
        }

        func intro(into page: inout PageBuilder<FormPageState>) {
            page.section(.hasIntro) { page in
                page.markup("<p class=\"intro\">")
                page.slot(.intro)
                page.markup("</p>\n")
            }
        }

        func errorSummary(_ fields: [FieldMarkup], into page: inout PageBuilder<FormPageState>) {
            page.section(.hasErrors) { page in
                page.markup(
                    "<div class=\"error-summary\" id=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\" autofocus>\n"
                )
                page.markup("<h2 id=\"error-summary-title\">")
                page.text(messages.text("form.errorSummaryTitle", language))
                page.markup("</h2>\n<ul>\n")
                for field in fields {
                    page.section(.error(field.index)) { page in
                        page.markup("<li><a href=\"#")
                        page.text(field.summaryTarget)
                        page.markup("\">")
                        page.slot(.summary(field.index))
                        page.markup("</a></li>\n")
                    }
                }
                page.markup("</ul>\n</div>\n")
            }
        }

        /// The form element and its hidden fields; `step` names the screen a multi-step form's post comes from.
        func formStart(step: String? = nil, autosave: Bool = false, into page: inout PageBuilder<FormPageState>) {
            page.markup("<form class=\"form\" method=\"post\"")
            page.markup(" action=\"")
            page.text(presentation.urls.form(form.id, sessionId: ""))
            page.slot(.sessionId)
            page.markup("\" accept-charset=\"utf-8\"")
            page.attribute("data-messages", messages.browserValidationMessages(language))
            if form.hasFileFields { page.markup(" enctype=\"multipart/form-data\"") }
            if autosave { page.markup(" data-autosave") }
            page.markup(">\n<input type=\"hidden\" name=\"_token\" value=\"")
            page.slot(.token)
            page.markup("\">\n<input type=\"hidden\" name=\"_lang\"")
            page.attribute("value", language)
            page.markup(">\n")
            if let step {
                page.markup("<input type=\"hidden\" name=\"_step\"")
                page.attribute("value", step)
                page.markup(">\n")
            }
        }

        /// The buttons and the end of the form. The first button is the one Enter presses, so
        /// `back` comes after the button that goes on.
        func actions(
            submit label: String,
            action: String = "submit",
            back: Bool = false,
            decline: Bool = true,
            into page: inout PageBuilder<FormPageState>
        ) {
            page.markup("<div class=\"actions\">\n<button type=\"submit\" name=\"_action\"")
            page.attribute("value", action)
            page.markup(" class=\"button\">")
            page.text(label)
            page.markup("</button>\n")
            if back {
                page.markup("<button type=\"submit\" name=\"_action\" value=\"back\" class=\"button button--secondary\" formnovalidate>")
                page.text(messages.text("steps.back", language))
                page.markup("</button>\n")
            }
            if decline, let declineLabel = form.decline?.label {
                page.markup("<button type=\"submit\" name=\"_action\" value=\"decline\" class=\"button button--secondary\" formnovalidate>")
                page.text(declineLabel)
                page.markup("</button>\n")
            }
            page.markup("</div>\n</form>\n")
        }

        /// The line about the draft: restored, or lost.
        func notice(into page: inout PageBuilder<FormPageState>) {
            page.section(.hasNotice) { page in
                page.markup("<p class=\"notice\" role=\"status\">")
                page.slot(.notice)
                page.markup("</p>\n")
            }
        }
    }
}
