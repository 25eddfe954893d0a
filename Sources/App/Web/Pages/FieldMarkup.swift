import Forms
import Foundation

/// What the form page shows of one field, decided once when the page is compiled: ids, texts,
/// the HTML attributes in each state the field can be in, the options.
struct FieldMarkup: Sendable {
    let index: Int
    let field: FieldDefinition
    let id: String
    let inputType: String
    let isGroup: Bool
    let helpId: String
    let errorId: String
    let enterAgainId: String
    let optionalText: String?
    /// `showIf`: the controlling field's name and values (JSON) for the script, and the hint
    /// shown instead when the script does not run.
    var condition: Condition?
    /// Per option: its element id.
    let optionIds: [String]
    /// Where the error summary's link for this field points.
    var summaryTarget: String { isGroup ? optionIds.first ?? id : id }

    struct Condition: Sendable {
        let field: String
        let valuesJSON: String
        let hint: String
        let hintId: String
    }

    init(index: Int, field: FieldDefinition, in form: FormDefinition, language: String, messages: MessageCatalog) {
        self.index = index
        self.field = field
        id = "field-\(field.name)"
        inputType = Self.inputType(field.type)
        isGroup = field.type == .radio || field.type == .checkboxes
        helpId = "\(id)-help"
        errorId = "\(id)-error"
        enterAgainId = "field-\(field.name)-again"
        optionalText = field.required || field.type == .hidden ? nil : messages.text("form.optional", language)
        condition = field.showIf.map { Self.condition($0, of: field, in: form, language, messages) }
        optionIds = field.options.indices.map { "\(field.type == .select ? "option" : "field")-\(field.name)-\($0)" }
    }

    /// The escaped attribute text (`required maxlength="120" aria-describedby="…"`) of the field's
    /// control (or of each choice of a group): it depends on whether the field has an error and
    /// whether it asks for a sensitive value again.
    func attributes(hasError: Bool, askAgain: Bool) -> String {
        var describedBy: [String] = []
        if let condition { describedBy.append(condition.hintId) }
        if field.help != nil { describedBy.append(helpId) }
        if askAgain { describedBy.append(enterAgainId) }
        if hasError { describedBy.append(errorId) }
        var attributes = HTMLAttributes()
        // A file field is checked by the server alone: a file kept from an earlier post leaves
        // the input empty, and the browser must not insist on a new one.
        if field.required && field.type != .checkboxes && field.type != .file {
            // A conditional field is required only while shown: the script sets `required` then;
            // without the script the browser must not insist on a field that may not apply.
            attributes.flag(condition == nil ? "required" : "data-required")
        }
        if hasError { attributes.add("aria-invalid", "true") }
        if !describedBy.isEmpty { attributes.add("aria-describedby", describedBy.joined(separator: " ")) }
        if !isGroup {
            attributes.add("minlength", field.minLength.map(String.init))
            attributes.add("maxlength", field.effectiveMaxLength.map(String.init))
            attributes.add("pattern", field.pattern)
            attributes.add("min", field.min)
            attributes.add("max", field.max)
            attributes.add("step", field.step)
            attributes.add("placeholder", field.placeholder)
            if field.type == .file {
                attributes.add("accept", field.accept.map(\.mediaType).joined(separator: ","))
                attributes.add("capture", field.capture)
                if field.maxFiles > 1 { attributes.flag("multiple") }
            } else {
                // Browsers must not offer a sensitive value on another device or to the next person.
                attributes.add("autocomplete", field.sensitive ? "off" : field.autocomplete ?? Self.defaultAutocomplete(field.type))
                attributes.add("inputmode", Self.inputMode(field))
            }
        }
        return attributes.text
    }

    /// The hint shown without the script: "Only needed if your answer to “Contact” is Email or Phone."
    private static func condition(
        _ condition: FieldCondition,
        of field: FieldDefinition,
        in form: FormDefinition,
        _ language: String,
        _ messages: MessageCatalog
    ) -> Condition {
        let controller = form.field(named: condition.field)
        let label = controller?.label ?? condition.field
        let hint: String
        if controller?.type == .checkbox, condition.values.count == 1 {
            hint = messages.text(condition.values == ["true"] ? "form.onlyIfChecked" : "form.onlyIfUnchecked", language, ["label": label])
        } else {
            let shown = condition.values.map { value in controller?.options.first { $0.value == value }?.label ?? value }
            let or = " \(messages.text("form.or", language)) "
            hint = messages.text("form.onlyIf", language, ["label": label, "values": shown.joined(separator: or)])
        }
        return Condition(
            field: condition.field,
            valuesJSON: JSONText.array(condition.values),
            hint: hint,
            hintId: "field-\(field.name)-condition"
        )
    }

    private static func inputType(_ type: FieldType) -> String {
        switch type {
        case .text, .textarea, .select: "text"
        case .email: "email"
        case .tel: "tel"
        case .url: "url"
        case .number: "number"
        case .date: "date"
        case .time: "time"
        case .radio: "radio"
        case .checkbox, .checkboxes: "checkbox"
        case .hidden: "hidden"
        case .file: "file"
        }
    }

    private static func defaultAutocomplete(_ type: FieldType) -> String? {
        switch type {
        case .email: "email"
        case .tel: "tel"
        case .url: "url"
        default: nil
        }
    }

    /// The keyboard a phone shows.
    static func inputMode(_ field: FieldDefinition) -> String? {
        switch field.type {
        case .number:
            // Whole steps need no decimal key; fractional ones do.
            (field.step.map { !$0.contains(".") } ?? false) ? "numeric" : "decimal"
        case .text where field.pattern.map(isDigitsOnly) ?? false:
            "numeric"
        default: nil
        }
    }

    /// `[0-9]{4}`, `\d{3,6}`, `[0-9]+`: patterns that accept digits and nothing else.
    private static func isDigitsOnly(_ pattern: String) -> Bool {
        var rest = Substring(pattern)
        var sawDigits = false
        while !rest.isEmpty {
            if rest.hasPrefix("[0-9]") {
                rest = rest.dropFirst(5)
            } else if rest.hasPrefix("\\d") {
                rest = rest.dropFirst(2)
            } else {
                return false
            }
            sawDigits = true
            if rest.first == "+" || rest.first == "*" || rest.first == "?" {
                rest = rest.dropFirst()
            } else if rest.first == "{", let close = rest.firstIndex(of: "}") {
                guard rest[rest.index(after: rest.startIndex)..<close].allSatisfy({ $0.isNumber || $0 == "," }) else { return false }
                rest = rest[rest.index(after: close)...]
            }
        }
        return sawDigits
    }
}

/// Builds an escaped attribute list; values are never trusted, even from our own form files.
struct HTMLAttributes {
    private(set) var text = ""

    mutating func add(_ name: String, _ value: String?) {
        guard let value else { return }
        text += "\(text.isEmpty ? "" : " ")\(name)=\"\(HTMLEscaping.escape(value))\""
    }

    mutating func flag(_ name: String) {
        text += "\(text.isEmpty ? "" : " ")\(name)"
    }
}

/// A JSON array of strings, for a data attribute the script reads (the template escapes it).
enum JSONText {
    private static let encoder = JSONEncoder()

    static func array(_ values: [String]) -> String {
        // Encoding strings cannot fail.
        (try? encoder.encode(values)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }
}
