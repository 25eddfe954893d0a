import AlvariaModels
import Forms
import NIOCore

/// One form in one language, compiled at start-up: serving it fills in the values, the errors,
/// the intro, the session and the token.
struct CompiledForm: Sendable {
    /// The form with this language's texts applied.
    let form: FormDefinition
    let language: String
    private let page: CompiledPage<FormPageState>
    private let messages: MessageCatalog
    /// Per field of `form.fields`: the label the error summary names.
    private let labels: [String]

    init(_ form: FormDefinition, language: String, presentation: Presentation) {
        let localized = form.localized(to: language)
        self.form = localized
        self.language = language
        messages = presentation.messages
        labels = localized.fields.map(\.label)
        page = FormPageTemplate.compile(localized, language: language, presentation: presentation)
    }

    /// The page's HTML.
    /// - Parameters:
    ///   - values: what to show in the fields (prefilled, or as submitted).
    ///   - errors: the validation's errors; a sensitive value is never shown again with them.
    ///   - introHTML: the intro rendered for the context, escaped already.
    func render(values: FormValues, errors: [FieldError], introHTML: String?, sessionId: SessionID, token: String) -> ByteBuffer {
        let fields = form.fields
        var state = FormPageState(
            values: fields.map { values[$0.name] },
            errorTexts: [],
            labels: labels,
            introHTML: introHTML,
            sessionId: sessionId.rawValue,
            token: token
        )
        if !errors.isEmpty {
            var texts = [String?](repeating: nil, count: fields.count)
            for error in errors {
                guard let index = fields.firstIndex(where: { $0.name == error.field }), texts[index] == nil else { continue }
                texts[index] = Self.message(for: error.problem, language, messages)
            }
            state.errorTexts = texts
            // A sensitive value is never sent back to the browser once submitted: the person retypes it.
            for index in fields.indices where fields[index].sensitive {
                state.values[index] = []
            }
        }
        return page.render(state)
    }

    static func message(for problem: FieldProblem, _ language: String, _ messages: MessageCatalog) -> String {
        let substitutions: [String: String] =
            switch problem {
            case .tooShort(let n), .tooLong(let n): ["n": String(n)]
            case .belowMinimum(let value), .aboveMaximum(let value), .stepMismatch(let value): ["value": value]
            default: [:]
            }
        return messages.text("field.\(problem.code)", language, substitutions)
    }

    /// "Full name: This field is required." — but "How should we contact you? This field is required."
    /// (and "كيف نتواصل معك؟ …": the Arabic question mark ends a label too).
    static func summaryLine(label: String, message: String) -> String {
        let endsWithPunctuation = label.last.map { "?!.:…؟".contains($0) } ?? false
        return endsWithPunctuation ? "\(label) \(message)" : "\(label): \(message)"
    }
}

/// What varies on a form page: by field index, the values and the error texts.
struct FormPageState: PageState {
    enum Slot: Sendable {
        /// The session in the form's action URL.
        case sessionId
        case token
        /// The intro, escaped already.
        case intro
        case value(Int)
        case error(Int)
        /// The error summary's line for the field: its label and its error.
        case summary(Int)
    }

    enum Condition: Sendable {
        case hasErrors, noErrors, hasIntro
        case error(Int)
        case noError(Int)
        /// A `checkbox` that is on.
        case checked(Int)
        /// A choice of a select, radio or checkboxes field that is among its values.
        case selected(Int, String)
    }

    var values: [[String]]
    /// Empty when the page has no errors.
    var errorTexts: [String?]
    /// The fields' labels, for the error summary.
    let labels: [String]
    let introHTML: String?
    /// A ``SessionID``'s text: its alphabet is URL-safe, so it goes into the URL as it is.
    let sessionId: String
    let token: String

    var hasErrors: Bool { !errorTexts.isEmpty }

    func write(_ slot: Slot, to html: inout HTMLOutput) {
        switch slot {
        case .sessionId: html.writeEscaped(sessionId)
        case .token: html.writeEscaped(token)
        case .intro: html.writeTrusted(introHTML ?? "")
        case .value(let index): html.writeEscaped(values[index].first ?? "")
        case .error(let index): html.writeEscaped(errorText(index) ?? "")
        case .summary(let index):
            html.writeEscaped(CompiledForm.summaryLine(label: labels[index], message: errorText(index) ?? ""))
        }
    }

    func holds(_ condition: Condition) -> Bool {
        switch condition {
        case .hasErrors: hasErrors
        case .noErrors: !hasErrors
        case .hasIntro: introHTML != nil
        case .error(let index): errorText(index) != nil
        case .noError(let index): errorText(index) == nil
        case .checked(let index): values[index].first.map(Self.isOn) ?? false
        case .selected(let index, let value): values[index].contains(value)
        }
    }

    private func errorText(_ index: Int) -> String? {
        hasErrors ? errorTexts[index] : nil
    }

    private static func isOn(_ value: String) -> Bool {
        ["true", "on", "1", "yes"].contains(value.lowercased())
    }
}

/// The form page's markup: the one place it is written.
enum FormPageTemplate {
    static func compile(_ form: FormDefinition, language: String, presentation: Presentation) -> CompiledPage<FormPageState> {
        let messages = presentation.messages
        let fields = form.fields.enumerated().filter { !$0.element.hasFixedValue }.map { index, field in
            FieldMarkup(index: index, field: field, in: form, language: language, messages: messages)
        }
        let errorPrefix = messages.text("form.errorPrefix", language)
        var page = PageBuilder<FormPageState>()
        let chrome = presentation.chrome(title: form.title, language: language, form: form, script: true)
        let errorTitle = { (page: inout PageBuilder<FormPageState>) in page.section(.hasErrors) { $0.text("\(errorPrefix) ") } }
        Layout.write(chrome, into: &page, titlePrefix: errorTitle) { page in
            page.markup("<h1>")
            page.text(form.title)
            page.markup("</h1>\n")
            page.section(.hasIntro) { page in
                page.markup("<p class=\"intro\">")
                page.slot(.intro)
                page.markup("</p>\n")
            }
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
            page.markup("<form class=\"form\" method=\"post\"")
            page.markup(" action=\"")
            page.text(presentation.urls.form(form.id, sessionId: ""))
            page.slot(.sessionId)
            page.markup("\" accept-charset=\"utf-8\"")
            page.attribute("data-messages", messages.browserValidationMessages(language))
            page.markup(">\n<input type=\"hidden\" name=\"_token\" value=\"")
            page.slot(.token)
            page.markup("\">\n<input type=\"hidden\" name=\"_lang\"")
            page.attribute("value", language)
            page.markup(">\n")
            for field in fields {
                write(field, errorPrefix: errorPrefix, language: language, messages: messages, into: &page)
            }
            page.markup("<div class=\"actions\">\n<button type=\"submit\" name=\"_action\" value=\"submit\" class=\"button\">")
            page.text(form.submitLabel)
            page.markup("</button>\n")
            if let declineLabel = form.decline?.label {
                page.markup("<button type=\"submit\" name=\"_action\" value=\"decline\" class=\"button button--secondary\" formnovalidate>")
                page.text(declineLabel)
                page.markup("</button>\n")
            }
            page.markup("</div>\n</form>\n")
        }
        return page.build()
    }

    private static func write(
        _ field: FieldMarkup,
        errorPrefix: String,
        language: String,
        messages: MessageCatalog,
        into page: inout PageBuilder<FormPageState>
    ) {
        let definition = field.field
        let index = field.index
        if definition.type == .hidden {
            page.markup("<input type=\"hidden\"")
            page.attribute("name", definition.name)
            page.markup(" value=\"")
            page.slot(.value(index))
            page.markup("\">\n")
            return
        }
        page.markup("<div class=\"field")
        page.section(.error(index)) { $0.markup(" field--error") }
        page.markup("\"")
        if let condition = field.condition {
            page.attribute("data-show-if", condition.field)
            page.attribute("data-show-values", condition.valuesJSON)
        }
        page.markup(">\n")

        let conditionHint = { (page: inout PageBuilder<FormPageState>) in
            guard let condition = field.condition else { return }
            page.markup("<p class=\"condition\"")
            page.attribute("id", condition.hintId)
            page.markup(">")
            page.text(condition.hint)
            page.markup("</p>\n")
        }
        let help = { (page: inout PageBuilder<FormPageState>) in
            guard let help = definition.help else { return }
            page.markup("<p class=\"help\"")
            page.attribute("id", field.helpId)
            page.markup(">")
            page.text(help)
            page.markup("</p>\n")
        }
        let error = { (page: inout PageBuilder<FormPageState>) in
            page.section(.error(index)) { page in
                page.markup("<p class=\"error\"")
                page.attribute("id", field.errorId)
                page.markup("><span class=\"visually-hidden\">")
                page.text("\(errorPrefix) ")
                page.markup("</span>")
                page.slot(.error(index))
                page.markup("</p>\n")
            }
        }
        let labelText = { (page: inout PageBuilder<FormPageState>) in
            page.text(definition.label)
            if let optional = field.optionalText {
                page.markup(" <span class=\"optional\">(")
                page.text(optional)
                page.markup(")</span>")
            }
        }
        // The control's attributes, after a space: which of them depends on the field's state.
        let attributes = { (page: inout PageBuilder<FormPageState>) in
            page.markup(" ")
            page.section(.error(index)) { $0.markup(field.attributes(hasError: true, askAgain: definition.sensitive)) }
            page.section(.noError(index)) { page in
                if definition.sensitive {
                    page.section(.hasErrors) { $0.markup(field.attributes(hasError: false, askAgain: true)) }
                    page.section(.noErrors) { $0.markup(field.attributes(hasError: false, askAgain: false)) }
                } else {
                    page.markup(field.attributes(hasError: false, askAgain: false))
                }
            }
        }

        switch definition.type {
        case .radio, .checkboxes:
            page.markup("<fieldset>\n<legend>")
            labelText(&page)
            page.markup("</legend>\n")
            conditionHint(&page)
            help(&page)
            error(&page)
            for (option, optionId) in zip(definition.options, field.optionIds) {
                page.markup("<div class=\"choice\"><input")
                page.attribute("type", field.inputType)
                page.attribute("id", optionId)
                page.attribute("name", definition.name)
                page.attribute("value", option.value)
                page.section(.selected(index, option.value)) { $0.markup(" checked") }
                attributes(&page)
                page.markup("><label")
                page.attribute("for", optionId)
                page.markup(">")
                page.text(option.label)
                page.markup("</label></div>\n")
            }
            page.markup("</fieldset>\n")
        case .checkbox:
            conditionHint(&page)
            error(&page)
            page.markup("<div class=\"choice\"><input type=\"checkbox\"")
            page.attribute("id", field.id)
            page.attribute("name", definition.name)
            page.markup(" value=\"true\"")
            page.section(.checked(index)) { $0.markup(" checked") }
            attributes(&page)
            page.markup("><label")
            page.attribute("for", field.id)
            page.markup(">")
            labelText(&page)
            page.markup("</label></div>\n")
            help(&page)
        default:
            page.markup("<label")
            page.attribute("for", field.id)
            page.markup(">")
            labelText(&page)
            page.markup("</label>\n")
            conditionHint(&page)
            help(&page)
            if definition.sensitive {
                page.section(.hasErrors) { page in
                    page.markup("<p class=\"help\"")
                    page.attribute("id", field.enterAgainId)
                    page.markup(">")
                    page.text(messages.text("form.enterAgain", language))
                    page.markup("</p>\n")
                }
            }
            error(&page)
            switch definition.type {
            case .textarea:
                page.markup("<textarea")
                page.attribute("id", field.id)
                page.attribute("name", definition.name)
                page.markup(" rows=\"5\"")
                attributes(&page)
                page.markup(">")
                page.slot(.value(index))
                page.markup("</textarea>")
            case .select:
                page.markup("<select")
                page.attribute("id", field.id)
                page.attribute("name", definition.name)
                attributes(&page)
                page.markup(">\n<option value=\"\">")
                page.text(messages.text("form.choose", language))
                page.markup("</option>\n")
                for option in definition.options {
                    page.markup("<option")
                    page.attribute("value", option.value)
                    page.section(.selected(index, option.value)) { $0.markup(" selected") }
                    page.markup(">")
                    page.text(option.label)
                    page.markup("</option>\n")
                }
                page.markup("</select>")
            default:
                page.markup("<input")
                page.attribute("type", field.inputType)
                page.attribute("id", field.id)
                page.attribute("name", definition.name)
                page.markup(" value=\"")
                page.slot(.value(index))
                page.markup("\"")
                attributes(&page)
                page.markup(">")
            }
            page.markup("\n")
        }
        page.markup("</div>\n")
    }
}
