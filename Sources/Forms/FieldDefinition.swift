internal import Foundation

/// One choice of a `select`, `radio` or `checkboxes` field.
public struct FieldOption: Sendable, Equatable {
    /// What is submitted and sent to Alvaria.
    public var value: String
    /// What a person sees (plain text; the web layer escapes it).
    public var label: String

    public init(value: String, label: String? = nil) {
        self.value = value
        self.label = label ?? value
    }
}

/// One field of a form, as its file describes it.
///
/// Texts (`label`, `help`, `placeholder`, option labels) are plain text: the web layer escapes them.
/// Constraints are kept as written (`min`, `max`, `step`, `pattern`) so they can be copied into
/// the HTML attributes that give a browser the same rules the server enforces.
public struct FieldDefinition: Sendable {
    /// Longest value accepted from a single-line field (`text`, `email`, `tel`, `url`, `hidden`)
    /// that sets no `maxLength`: a bound on what a person or a script can push into an outcome.
    public static let defaultMaxLength = 500
    /// Longest value accepted from a `textarea` that sets no `maxLength`.
    public static let defaultTextareaMaxLength = 5000
    /// A `file` field's `maxSize` when it sets none: 10 MB per file.
    public static let defaultMaxFileSize = 10 * 1024 * 1024
    /// The largest `maxSize` a form may set: 100 MB per file.
    public static let largestMaxFileSize = 100 * 1024 * 1024
    /// How many files a `file` field may take at most (`maxFiles`).
    public static let largestMaxFiles = 10
    /// What `capture:` may say: the phone's back camera, or the one facing the person.
    public static let captureModes = ["environment", "user"]

    /// The form field name (`^[A-Za-z][A-Za-z0-9_-]{0,63}$`); names starting with `_` are left
    /// to the web layer (tokens, actions), so they can never collide with a field.
    public var name: String
    public var label: String
    public var type: FieldType
    public var required: Bool
    public var minLength: Int?
    /// As written; ``effectiveMaxLength`` is what validation applies.
    public var maxLength: Int?
    /// The source text, for the HTML `pattern` attribute; it must match the whole value.
    public var pattern: String? {
        didSet { compiledPattern = ValueRules.compileWhole(pattern) }
    }
    /// `pattern` compiled once, not on every validation (ICU compiles are not cheap).
    var compiledPattern: WholeMatchPattern?
    /// Numbers for `number`, `YYYY-MM-DD` for `date`, `HH:MM` for `time`: as written.
    public var min: String?
    public var max: String?
    /// Numbers only: the value minus (`min` or 0) must be a whole multiple of it.
    public var step: String?
    public var options: [FieldOption]
    /// A dotted path into the context (`context.address.street`).
    public var prefill: String?
    /// A literal value: the initial value of a visible field, the fixed value of a `hidden` one.
    public var value: String?
    /// The Outcome variable id; the name unless the file says otherwise.
    public var variable: String
    public var help: String?
    public var placeholder: String?
    public var autocomplete: String?
    /// `sensitive: true`: never logged, never shown again after a validation error, erased
    /// from storage once delivered; browsers are asked not to remember it.
    public var sensitive: Bool
    /// `showIf:`: the field is asked for only while the condition holds.
    public var showIf: FieldCondition?
    /// `accept:` of a `file` field: the kinds of file it takes, as written; every kind
    /// (``FileKind/allCases``) when the file says none. Empty for other types.
    public var accept: [FileKind]
    /// `maxSize:` of a `file` field, in bytes, per file: ``defaultMaxFileSize`` unless set.
    public var maxSize: Int
    /// `maxFiles:` of a `file` field: how many files it takes at most (1 unless set).
    public var maxFiles: Int
    /// `capture:` of a `file` field: `environment` or `user` (see ``captureModes``), for
    /// phones to open their camera; `nil` lets the person choose a file.
    public var capture: String?

    public init(
        name: String,
        label: String? = nil,
        type: FieldType = .text,
        required: Bool = false,
        minLength: Int? = nil,
        maxLength: Int? = nil,
        pattern: String? = nil,
        min: String? = nil,
        max: String? = nil,
        step: String? = nil,
        options: [FieldOption] = [],
        prefill: String? = nil,
        value: String? = nil,
        variable: String? = nil,
        help: String? = nil,
        placeholder: String? = nil,
        autocomplete: String? = nil,
        sensitive: Bool = false,
        showIf: FieldCondition? = nil,
        accept: [FileKind]? = nil,
        maxSize: Int = FieldDefinition.defaultMaxFileSize,
        maxFiles: Int = 1,
        capture: String? = nil
    ) {
        self.name = name
        self.label = label ?? Self.defaultLabel(for: name)
        self.type = type
        self.required = required
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
        self.compiledPattern = ValueRules.compileWhole(pattern)
        self.min = min
        self.max = max
        self.step = step
        self.options = options
        self.prefill = prefill
        self.value = value
        self.variable = variable ?? name
        self.help = help
        self.placeholder = placeholder
        self.autocomplete = autocomplete
        self.sensitive = sensitive
        self.showIf = showIf
        self.accept = accept ?? (type == .file ? FileKind.allCases : [])
        self.maxSize = maxSize
        self.maxFiles = maxFiles
        self.capture = capture
    }

    /// The longest value validation accepts, in Characters: `maxLength` when set, else
    /// ``defaultMaxLength`` (single-line text-like types) or ``defaultTextareaMaxLength``
    /// (`textarea`). `nil` for types whose values are not free text (numbers, dates, choices).
    public var effectiveMaxLength: Int? {
        guard type.acceptsLength else { return nil }
        return maxLength ?? (type == .textarea ? Self.defaultTextareaMaxLength : Self.defaultMaxLength)
    }

    /// A `hidden` field with a literal `value:` always sends that literal, whatever is posted.
    public var hasFixedValue: Bool { type == .hidden && value != nil }
    /// A `hidden` field whose value comes from the context (`prefill:`): at submit time too.
    public var takesContextValue: Bool { type == .hidden && value == nil && prefill != nil }

    /// `street` -> `Street`: a readable label for files that do not give one.
    static func defaultLabel(for name: String) -> String {
        name.prefix(1).uppercased() + name.dropFirst()
    }
}
