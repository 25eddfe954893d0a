import AlvariaModels
import Forms
import NIOCore

/// What went wrong with a verification answer, as the page shows it.
enum VerificationProblem: Sendable, Equatable {
    /// Question name -> what is wrong with the answer as typed; nothing was compared.
    case answers([String: FieldProblem])
    /// Compared and wrong; this many attempts remain.
    case noMatch(attemptsLeft: Int)
}

/// A form's verification step in one language, compiled at start-up: the form's title, the
/// questions and the help, and nothing from the context, which the page never sees.
struct CompiledVerification: Sendable {
    /// The form with this language's texts applied.
    let form: FormDefinition
    let verification: Verification
    let language: String
    private let page: CompiledPage<VerificationPageState>
    private let messages: MessageCatalog

    init?(_ form: FormDefinition, language: String, presentation: Presentation) {
        let localized = form.localized(to: language)
        guard let verification = localized.verification else { return nil }
        self.form = localized
        self.verification = verification
        self.language = language
        messages = presentation.messages
        page = VerificationPageTemplate.compile(localized, verification: verification, language: language, presentation: presentation)
    }

    func render(sessionId: SessionID, token: String, problem: VerificationProblem?) -> ByteBuffer {
        var state = VerificationPageState(sessionId: sessionId.rawValue, token: token, errors: [], summary: nil)
        switch problem {
        case nil:
            break
        case .answers(let problems):
            state.errors = verification.questions.map { question in
                problems[question.name].map { CompiledForm.message(for: $0, language, messages) }
            }
            state.summary = zip(verification.questions, state.errors).compactMap { question, error in
                error.map { CompiledForm.summaryLine(label: question.label, message: $0) }
            }.joined(separator: " ")
        case .noMatch(let attemptsLeft):
            state.summary = messages.text("verify.noMatch", language, ["n": String(attemptsLeft)])
        }
        return page.render(state)
    }
}

/// What varies on a verification page: the session, the token, and the errors.
struct VerificationPageState: PageState {
    enum Slot: Sendable {
        case sessionId, token, summary
        case error(Int)
    }
    enum Condition: Sendable {
        case hasErrors
        case error(Int)
    }

    let sessionId: String
    let token: String
    /// By question; empty when no answer had a problem of its own.
    var errors: [String?]
    var summary: String?

    func write(_ slot: Slot, to html: inout HTMLOutput) {
        switch slot {
        case .sessionId: html.writeEscaped(sessionId)
        case .token: html.writeEscaped(token)
        case .summary: html.writeEscaped(summary ?? "")
        case .error(let index): html.writeEscaped(errorText(index) ?? "")
        }
    }

    func holds(_ condition: Condition) -> Bool {
        switch condition {
        case .hasErrors: summary != nil
        case .error(let index): errorText(index) != nil
        }
    }

    private func errorText(_ index: Int) -> String? {
        errors.indices.contains(index) ? errors[index] : nil
    }
}

/// The verification step's markup. Accessible authentication (WCAG 2.2 SC 3.3.8): questions about
/// what the person knows or was just sent, typed or pasted, with the browser's autofill named
/// (`bday`, `postal-code`, `one-time-code`); no puzzle, and errors that say what is left.
enum VerificationPageTemplate {
    static func compile(
        _ form: FormDefinition,
        verification: Verification,
        language: String,
        presentation: Presentation
    ) -> CompiledPage<VerificationPageState> {
        let messages = presentation.messages
        let errorPrefix = messages.text("form.errorPrefix", language)
        var page = PageBuilder<VerificationPageState>()
        let chrome = presentation.chrome(title: form.title, language: language, form: form)
        let errorTitle = { (page: inout PageBuilder<VerificationPageState>) in page.section(.hasErrors) { $0.text("\(errorPrefix) ") } }
        Layout.write(chrome, into: &page, titlePrefix: errorTitle) { page in
            page.markup("<h1>")
            page.text(form.title)
            page.markup("</h1>\n<p class=\"intro\">")
            page.text(messages.text("verify.intro", language))
            page.markup("</p>\n")
            page.section(.hasErrors) { page in
                page.markup(
                    "<div class=\"error-summary\" id=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\" autofocus>\n"
                )
                page.markup("<h2 id=\"error-summary-title\">")
                page.text(messages.text("form.errorSummaryTitle", language))
                page.markup("</h2>\n<p>")
                page.slot(.summary)
                page.markup("</p>\n</div>\n")
            }
            page.markup("<form class=\"form\" method=\"post\" action=\"")
            page.text(presentation.urls.verify(form.id, sessionId: ""))
            page.slot(.sessionId)
            page.markup("\" accept-charset=\"utf-8\">\n<input type=\"hidden\" name=\"_token\" value=\"")
            page.slot(.token)
            page.markup("\">\n<input type=\"hidden\" name=\"_lang\"")
            page.attribute("value", language)
            page.markup(">\n")
            for (index, question) in verification.questions.enumerated() {
                write(question, index: index, errorPrefix: errorPrefix, into: &page)
            }
            page.markup("<div class=\"actions\">\n<button type=\"submit\" class=\"button\">")
            page.text(messages.text("verify.submit", language))
            page.markup("</button>\n</div>\n</form>\n")
            if let help = verification.help {
                page.markup("<p class=\"help\">")
                page.text(help)
                page.markup("</p>\n")
            }
        }
        return page.build()
    }

    private static func write(
        _ question: Verification.Question,
        index: Int,
        errorPrefix: String,
        into page: inout PageBuilder<VerificationPageState>
    ) {
        let id = "verify-\(question.name)"
        page.markup("<div class=\"field")
        page.section(.error(index)) { $0.markup(" field--error") }
        page.markup("\">\n<label")
        page.attribute("for", id)
        page.markup(">")
        page.text(question.label)
        page.markup("</label>\n")
        page.section(.error(index)) { page in
            page.markup("<p class=\"error\"")
            page.attribute("id", "\(id)-error")
            page.markup("><span class=\"visually-hidden\">")
            page.text("\(errorPrefix) ")
            page.markup("</span>")
            page.slot(.error(index))
            page.markup("</p>\n")
        }
        page.markup("<input")
        page.attribute("id", id)
        page.attribute("name", question.name)
        page.attribute("type", question.kind.inputType)
        page.attribute("inputmode", question.kind.inputMode)
        page.attribute("autocomplete", question.autocomplete ?? "off")
        // Answers are typed, autofilled or pasted; never spell-checked or capitalised on a phone.
        page.markup(" spellcheck=\"false\" autocapitalize=\"none\" required")
        page.section(.error(index)) { page in
            page.markup(" aria-invalid=\"true\"")
            page.attribute("aria-describedby", "\(id)-error")
        }
        page.markup(">\n</div>\n")
    }
}
