/// The kinds of input a form field can be; the raw values are what a form file writes after `type:`.
///
/// Most map one-to-one onto an HTML input type. `checkbox` is a single yes/no box (sent as
/// `"true"` / `"false"`); `checkboxes` is a group of boxes over `options` (several values);
/// `file` takes uploads (its values are the ids the web layer gave the files it accepted).
public enum FieldType: String, Sendable, CaseIterable {
    case text, textarea, email, tel, url, number, date, time, select, radio, checkbox, checkboxes, hidden, file

    /// The valid spellings, in declaration order, for "expected one of …" messages.
    static let spellings = allCases.map(\.rawValue).joined(separator: ", ")

    /// Types whose value is a free text (of a certain shape), so lengths apply.
    var acceptsLength: Bool {
        switch self {
        case .text, .textarea, .email, .tel, .url, .hidden: true
        default: false
        }
    }

    /// Types the HTML `pattern` attribute applies to (HTML has none on `textarea`).
    var acceptsPattern: Bool {
        switch self {
        case .text, .email, .tel, .url, .hidden: true
        default: false
        }
    }

    /// Types with an ordered range: `min` and `max` apply.
    var acceptsRange: Bool {
        switch self {
        case .number, .date, .time: true
        default: false
        }
    }

    /// Only numbers take `step`: for dates and times HTML gives it other units (days, seconds)
    /// that would surprise more than help, so it is not offered there.
    var acceptsStep: Bool { self == .number }

    /// Types that choose among `options`.
    var acceptsOptions: Bool {
        switch self {
        case .select, .radio, .checkboxes: true
        default: false
        }
    }

    /// Types that show a placeholder text in HTML.
    var acceptsPlaceholder: Bool {
        switch self {
        case .text, .textarea, .email, .tel, .url, .number: true
        default: false
        }
    }

    /// Types where an `autocomplete` hint makes sense to a browser.
    var acceptsAutocomplete: Bool {
        switch self {
        case .text, .textarea, .email, .tel, .url, .number, .date, .time, .select: true
        default: false
        }
    }

    /// Types that can start with a value (`prefill:`, `value:`): all but `file`, which only a
    /// person can fill, with a file of their own.
    var acceptsInitialValue: Bool { self != .file }

    /// Everything but `hidden` is shown, so only those can be required or carry help.
    var isVisible: Bool { self != .hidden }

    /// Single-line values get surrounding whitespace trimmed; a textarea keeps it.
    var isSingleLine: Bool { self != .textarea }
}
