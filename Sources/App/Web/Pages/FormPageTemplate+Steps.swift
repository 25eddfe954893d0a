import Forms

extension FormPageTemplate {
    /// One step: the form's title, "Step 2 of 3", the step's title and intro, its fields, and
    /// Continue (`next`) and Back.
    static func compileStep(
        _ index: Int,
        of form: FormDefinition,
        fields all: [FieldMarkup],
        parts: Parts,
        into page: inout PageBuilder<FormPageState>
    ) {
        let messages = parts.messages
        let language = parts.language
        let step = form.steps[index]
        let progress = messages.text("steps.progress", language, ["n": String(index + 1), "total": String(form.steps.count)])
        let fields = all.filter { step.fieldRange.contains($0.index) }
        let chrome = parts.presentation.chrome(title: "\(progress): \(step.title) – \(form.title)", language: language, form: form, script: true)
        Layout.write(chrome, into: &page, titlePrefix: parts.errorTitle) { page in
            parts.heading(into: &page)
            page.markup("<p class=\"progress\">")
            page.text(progress)
            page.markup("</p>\n<h2 class=\"step-title\">")
            page.text(step.title)
            page.markup("</h2>\n")
            if index == 0 { parts.intro(into: &page) }
            page.section(.hasStepIntro) { page in
                page.markup("<p class=\"intro\">")
                page.slot(.stepIntro)
                page.markup("</p>\n")
            }
            parts.notice(into: &page)
            parts.errorSummary(fields, into: &page)
            parts.formStart(step: step.id, autosave: true, into: &page)
            for field in fields {
                writeDecidedByServer(field, onPage: step.fieldRange, in: form, parts: parts, into: &page)
            }
            parts.actions(submit: messages.text("steps.next", language), action: "next", back: index > 0, decline: false, into: &page)
        }
    }

    /// The review: every answer, step by step, each with a link to change it; the sensitive
    /// answers that were not kept, asked again; then Send.
    static func compileReview(
        _ form: FormDefinition,
        fields all: [FieldMarkup],
        parts: Parts,
        into page: inout PageBuilder<FormPageState>
    ) {
        let messages = parts.messages
        let language = parts.language
        let urls = parts.presentation.urls
        let title = messages.text("review.title", language)
        let change = messages.text("review.change", language)
        let sensitive = all.filter { $0.field.sensitive && $0.field.type != .hidden }
        let chrome = parts.presentation.chrome(title: "\(title) – \(form.title)", language: language, form: form, script: true)
        Layout.write(chrome, into: &page, titlePrefix: parts.errorTitle) { page in
            parts.heading(into: &page)
            page.markup("<h2 class=\"step-title\">")
            page.text(title)
            page.markup("</h2>\n<p class=\"intro\">")
            page.text(messages.text("review.intro", language))
            page.markup("</p>\n")
            parts.notice(into: &page)
            parts.errorSummary(sensitive, into: &page)
            for step in form.steps {
                page.markup("<h3>")
                page.text(step.title)
                page.markup("</h3>\n<dl class=\"review\">\n")
                for field in all where step.fieldRange.contains(field.index) && field.field.type != .hidden {
                    page.section(.listed(field.index)) { page in
                        page.markup("<div class=\"review__row\"><dt>")
                        page.text(field.field.label)
                        page.markup("</dt><dd class=\"review__answer\">")
                        page.slot(.answer(field.index))
                        page.markup("</dd><dd class=\"review__change\"><a href=\"")
                        page.text(urls.form(form.id, sessionId: ""))
                        page.slot(.sessionId)
                        page.text(urls.formQuery(language: language, step: step.id))
                        page.markup("\">")
                        page.text(change)
                        page.markup("<span class=\"visually-hidden\"> ")
                        page.text(field.field.label)
                        page.markup("</span></a></dd></div>\n")
                    }
                }
                page.markup("</dl>\n")
            }
            parts.formStart(step: FormStep.reviewId, into: &page)
            for field in sensitive {
                page.section(.askAgain(field.index)) { page in
                    page.markup("<p class=\"notice\">")
                    page.text(messages.text("review.askAgain", language))
                    page.markup("</p>\n")
                    writeDecidedByServer(field, onPage: 0..<0, in: form, parts: parts, into: &page)
                }
            }
            parts.actions(submit: form.submitLabel, back: true, into: &page)
        }
    }

    /// A field whose `showIf` names a field on another page: the server knows that field's answer,
    /// so the field is in the page only when shown, without the script's condition or its hint.
    private static func writeDecidedByServer(
        _ field: FieldMarkup,
        onPage range: Range<Int>,
        in form: FormDefinition,
        parts: Parts,
        into page: inout PageBuilder<FormPageState>
    ) {
        let controller = field.field.showIf.flatMap { condition in form.fields.firstIndex { $0.name == condition.field } }
        guard let controller, !range.contains(controller) else {
            write(field, errorPrefix: parts.errorPrefix, language: parts.language, messages: parts.messages, into: &page)
            return
        }
        var unconditional = field
        unconditional.condition = nil
        page.section(.shown(field.index)) { page in
            write(unconditional, errorPrefix: parts.errorPrefix, language: parts.language, messages: parts.messages, into: &page)
        }
    }
}
