/// The server's verdict on a submission: the normalised values (to map, or to show again) and
/// at most one error per field, in form order.
public struct FormValidation: Sendable {
    /// Every field of the form, normalised (see ``FormDefinition/validate(_:)``); fields the
    /// form does not have are not carried over.
    public var values: FormValues
    public var errors: [FieldError]

    public var isValid: Bool { errors.isEmpty }

    public init(values: FormValues, errors: [FieldError]) {
        self.values = values
        self.errors = errors
    }

    /// The problem of one field, to show next to it.
    public func problem(for field: String) -> FieldProblem? {
        errors.first { $0.field == field }?.problem
    }
}

extension FormDefinition {
    /// Checks a submission the way the server must, whatever the browser did.
    ///
    /// Normalisation, which is what ``FormValidation/values`` holds:
    /// - single-line values (everything but `textarea`) are trimmed of surrounding whitespace;
    ///   a `textarea` keeps its text but line breaks become `\n`, and whitespace only counts as empty;
    /// - every single-valued field gets one value (`""` when empty); several values posted under
    ///   its name are an error (`notAnOption`) for `select`/`radio`, while the text-like types
    ///   use the first, as browsers only ever send one;
    /// - `checkbox` becomes `"true"` (posted `true`/`on`/`1`/`yes`) or `"false"` (absent, or
    ///   posted `false`/`off`/`0`/`no`, so normalised values validate again unchanged);
    /// - `checkboxes` keep the chosen option values once each, in the options' order;
    /// - `file` keeps the ids of the accepted files as given, empty ones dropped; more than
    ///   `maxFiles` is `tooManyFiles` (the web layer checks each file's content and size as it
    ///   arrives, see ``FileInspection``);
    /// - a `hidden` field never takes what was posted, as a browser could have changed it: one with
    ///   a literal `value:` has that literal, one with `prefill:` the context's value (`""` without
    ///   a context), unchecked, since the person can neither see nor fix it.
    ///
    /// Lengths count Characters; a field without `maxLength` accepts
    /// ``FieldDefinition/defaultMaxLength`` (single-line) or
    /// ``FieldDefinition/defaultTextareaMaxLength`` (textarea) Characters.
    ///
    /// A field whose `showIf` does not hold (see ``shownFieldNames(for:)``) is normalised but
    /// never has a problem: the person was not asked for it.
    public func validate(_ submission: FormValues, context: FormContext? = nil) -> FormValidation {
        var values = FormValues([])
        var errors: [FieldError] = []
        let fromContext = context.map(prefilledValues(from:)) ?? FormValues([])
        for field in fields {
            if field.type == .hidden, !field.hasFixedValue {
                values[field.name] = [fromContext.first(field.name) ?? ""]
                continue
            }
            let (normalized, problem) = field.validate(submission[field.name])
            values[field.name] = normalized
            if let problem {
                errors.append(FieldError(field: field.name, problem: problem))
            }
        }
        // Which fields were asked for depends on the normalised values of their controllers.
        let shown = shownFieldNames(for: values)
        errors.removeAll { !shown.contains($0.field) }
        return FormValidation(values: values, errors: errors)
    }
}
