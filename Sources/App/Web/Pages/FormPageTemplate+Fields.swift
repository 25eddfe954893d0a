import Forms

extension FormPageTemplate {
    static func write(
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
            case .file:
                page.section(.hasKeptFiles(index)) { page in
                    page.slot(.keptFiles(index))
                    page.markup("<p class=\"help\">")
                    page.text(messages.text("files.replace", language))
                    page.markup("</p>\n")
                }
                page.markup("<input type=\"file\"")
                page.attribute("id", field.id)
                page.attribute("name", definition.name)
                attributes(&page)
                page.markup(">")
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
