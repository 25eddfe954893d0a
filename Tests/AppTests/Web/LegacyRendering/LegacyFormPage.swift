// Today's renderer (before compiled pages), kept so the differential tests can prove the
// compiled pages produce the same bytes. Do not change it to make a test pass.

import Forms
import Foundation

@testable import App

/// The form as a person sees it: fields prefilled or as typed, errors next to fields and in a
/// summary on top.
struct LegacyFormPage: LegacyPageModel {
    static let template = "form"

    let chrome: LegacyChrome
    let heading: String
    /// Already HTML-escaped by the form engine's Mustache rendering.
    let introHTML: String?
    let action: String
    let token: String
    let language: String
    let errorSummaryTitle: String
    let errors: [SummaryItem]
    let hasErrors: Bool
    let fields: [LegacyFieldView]
    let submitLabel: String
    let declineLabel: String?
    /// JSON of the validation texts, so the browser's own checks speak the page's language.
    let validationMessages: String

    /// One line of the error summary, linking to its field.
    struct SummaryItem: Sendable {
        let target: String
        let text: String
    }
}

/// One field, with everything its template needs decided here rather than in the template.
struct LegacyFieldView: Sendable {
    let id: String
    let name: String
    let label: String
    let inputType: String
    let isHidden: Bool
    let isTextarea: Bool
    let isSelect: Bool
    let isCheckbox: Bool
    let isGroup: Bool
    let isInput: Bool
    let value: String
    let checked: Bool
    /// Escaped attribute text (`required maxlength="120" aria-describedby="…"`).
    let attributes: String
    let help: String?
    let helpId: String
    let error: String?
    let errorId: String
    let errorPrefix: String
    let optionalText: String?
    let chooseText: String
    let options: [OptionView]
    /// `showIf`: the controlling field's name and values (JSON) for the script, and the hint
    /// shown instead when the script does not run.
    let condition: ConditionView?
    /// A sensitive field shown again after a validation error: its value was not kept.
    let enterAgain: String?
    let enterAgainId: String

    struct ConditionView: Sendable {
        let field: String
        let valuesJSON: String
        let hint: String
        let hintId: String
    }

    /// One choice of a select, radio group or checkbox group.
    struct OptionView: Sendable {
        let id: String
        let value: String
        let label: String
        let selected: Bool
        let attributes: String
    }
}

extension LegacyFormPage {
    /// Builds the page for a (localised) form with the values to show and the errors to explain.
    init(
        form: FormDefinition,
        values: FormValues,
        errors: [FieldError],
        introHTML: String?,
        language: String,
        presentation: Presentation,
        action: String,
        token: String
    ) {
        let messages = presentation.messages
        let errorPrefix = messages.text("form.errorPrefix", language)
        let title = errors.isEmpty ? form.title : "\(errorPrefix) \(form.title)"
        chrome = LegacyChrome.make(presentation, title: title, language: language, form: form, script: true)
        heading = form.title
        self.introHTML = introHTML
        self.action = action
        self.token = token
        self.language = language
        errorSummaryTitle = messages.text("form.errorSummaryTitle", language)
        let problems = Dictionary(errors.map { ($0.field, $0.problem) }, uniquingKeysWith: { first, _ in first })
        // A sensitive value is never sent back to the browser once submitted: the person retypes it.
        let redisplay = !errors.isEmpty
        let fieldViews = form.fields.filter { !$0.hasFixedValue }.map { field in
            LegacyFieldView(
                field: field,
                values: field.sensitive && redisplay ? [] : values[field.name],
                problem: problems[field.name].map { Self.message(for: $0, language, messages) },
                condition: field.showIf.map { Self.conditionView($0, of: field, in: form, language, messages) },
                askAgain: field.sensitive && redisplay,
                language: language,
                messages: messages
            )
        }
        fields = fieldViews
        self.errors = form.fields.compactMap { field in
            guard let problem = problems[field.name], let view = fieldViews.first(where: { $0.name == field.name }) else { return nil }
            let target = view.isGroup ? view.options.first?.id ?? view.id : view.id
            return SummaryItem(target: target, text: Self.summaryLine(label: field.label, message: Self.message(for: problem, language, messages)))
        }
        hasErrors = !errors.isEmpty
        submitLabel = form.submitLabel
        declineLabel = form.decline?.label
        validationMessages = messages.browserValidationMessages(language)
    }

    /// "Full name: This field is required." — but "How should we contact you? This field is required."
    /// (and "كيف نتواصل معك؟ …": the Arabic question mark ends a label too).
    static func summaryLine(label: String, message: String) -> String {
        let endsWithPunctuation = label.last.map { "?!.:…؟".contains($0) } ?? false
        return endsWithPunctuation ? "\(label) \(message)" : "\(label): \(message)"
    }

    /// The hint shown without the script: "Only needed if your answer to “Contact” is Email or Phone."
    static func conditionView(
        _ condition: FieldCondition,
        of field: FieldDefinition,
        in form: FormDefinition,
        _ language: String,
        _ messages: MessageCatalog
    ) -> LegacyFieldView.ConditionView {
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
        return LegacyFieldView.ConditionView(
            field: condition.field,
            valuesJSON: LegacyJSONText.array(condition.values),
            hint: hint,
            hintId: "field-\(field.name)-condition"
        )
    }

    static func message(for problem: FieldProblem, _ language: String, _ messages: MessageCatalog) -> String {
        let substitutions: [String: String] =
            switch problem {
            case .tooShort(let n), .tooLong(let n), .tooManyFiles(let n): ["n": String(n)]
            case .fileTooLarge(let maximum): ["size": ByteSize.describe(maximum)]
            case .belowMinimum(let value), .aboveMaximum(let value), .stepMismatch(let value): ["value": value]
            default: [:]
            }
        return messages.text("field.\(problem.code)", language, substitutions)
    }
}

extension LegacyFieldView {
    init(
        field: FieldDefinition,
        values: [String],
        problem: String?,
        condition: ConditionView?,
        askAgain: Bool,
        language: String,
        messages: MessageCatalog
    ) {
        id = "field-\(field.name)"
        self.condition = condition
        enterAgainId = "field-\(field.name)-again"
        enterAgain = askAgain ? messages.text("form.enterAgain", language) : nil
        name = field.name
        label = field.label
        helpId = "\(id)-help"
        errorId = "\(id)-error"
        help = field.help
        error = problem
        errorPrefix = messages.text("form.errorPrefix", language)
        optionalText = field.required || field.type == .hidden ? nil : messages.text("form.optional", language)
        chooseText = messages.text("form.choose", language)
        isHidden = field.type == .hidden
        isTextarea = field.type == .textarea
        isSelect = field.type == .select
        isCheckbox = field.type == .checkbox
        isGroup = field.type == .radio || field.type == .checkboxes
        isInput = !(isHidden || isTextarea || isSelect || isCheckbox || isGroup)
        inputType = Self.inputType(field.type)
        value = values.first ?? ""
        checked = field.type == .checkbox && ["true", "on", "1", "yes"].contains(values.first?.lowercased() ?? "")

        var describedBy: [String] = []
        if let condition { describedBy.append(condition.hintId) }
        if field.help != nil { describedBy.append(helpId) }
        if askAgain { describedBy.append(enterAgainId) }
        if problem != nil { describedBy.append(errorId) }
        var attributes = LegacyHTMLAttributes()
        if field.required && field.type != .checkboxes {
            // A conditional field is required only while shown: the script sets `required` then;
            // without the script the browser must not insist on a field that may not apply.
            attributes.flag(condition == nil ? "required" : "data-required")
        }
        if problem != nil { attributes.add("aria-invalid", "true") }
        if !describedBy.isEmpty { attributes.add("aria-describedby", describedBy.joined(separator: " ")) }
        if !isGroup {
            attributes.add("minlength", field.minLength.map(String.init))
            attributes.add("maxlength", field.effectiveMaxLength.map(String.init))
            attributes.add("pattern", field.pattern)
            attributes.add("min", field.min)
            attributes.add("max", field.max)
            attributes.add("step", field.step)
            attributes.add("placeholder", field.placeholder)
            // Browsers must not offer a sensitive value on another device or to the next person.
            attributes.add("autocomplete", field.sensitive ? "off" : field.autocomplete ?? Self.defaultAutocomplete(field.type))
            attributes.add("inputmode", Self.inputMode(field))
        }
        self.attributes = attributes.text

        let groupType = field.type == .radio ? "radio" : "checkbox"
        let optionAttributes = isGroup ? attributes.text : ""
        let selectedValues = Set(values)
        options = field.options.enumerated().map { index, option in
            LegacyFieldView.OptionView(
                id: "\(field.type == .select ? "option" : "field")-\(field.name)-\(index)",
                value: option.value,
                label: option.label,
                selected: selectedValues.contains(option.value),
                attributes: groupType == "radio" || field.type == .checkboxes ? optionAttributes : ""
            )
        }
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
struct LegacyHTMLAttributes {
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
enum LegacyJSONText {
    private static let encoder = JSONEncoder()

    static func array(_ values: [String]) -> String {
        // Encoding strings cannot fail.
        (try? encoder.encode(values)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }
}
