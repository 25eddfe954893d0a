public import AlvariaModels
public import Foundation

extension FormDefinition {
    /// The Outcome of a submission (DESIGN.md "Forms"): one variable per field in form order —
    /// `checkboxes` joined with `,` in the options' order, `checkbox` as `"true"`/`"false"`,
    /// `file` its values joined with `,` (the web layer has made them links by then), empty
    /// optional fields as `""` — then the fixed variables in file order, then
    /// `submittedAt` (when configured) as ISO 8601 UTC, e.g. `2026-11-29T06:20:01Z`.
    ///
    /// `values` should be ``FormValidation/values`` of a valid submission. A `hidden` field with
    /// a literal `value:` sends the literal whatever `values` holds. Fields hidden by `showIf`
    /// are left out, or sent as `""` with `outcome.includeHidden`.
    public func outcomeVariables(for values: FormValues, submittedAt: Date) -> [OutcomeVariable] {
        let shown = shownFieldNames(for: values)
        var variables = fields.compactMap { field -> OutcomeVariable? in
            if shown.contains(field.name) {
                return OutcomeVariable(id: field.variable, value: field.outcomeValue(from: values[field.name]))
            }
            return includeHiddenFields ? OutcomeVariable(id: field.variable, value: "") : nil
        }
        variables += fixedVariables
        if let submittedAtVariable {
            variables.append(OutcomeVariable(id: submittedAtVariable, value: Self.timestamp(submittedAt)))
        }
        return variables
    }

    /// The Outcome of "No thanks": the decline variables, then `submittedAt` when configured;
    /// `nil` when the form has no decline button.
    public func declineVariables(submittedAt: Date) -> [OutcomeVariable]? {
        guard let decline else { return nil }
        var variables = decline.variables
        if let submittedAtVariable {
            variables.append(OutcomeVariable(id: submittedAtVariable, value: Self.timestamp(submittedAt)))
        }
        return variables
    }

    /// Whole seconds, UTC, `Z`: what CX scripts can compare as text.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .gmt))
    }
}

extension FieldDefinition {
    fileprivate func outcomeValue(from values: [String]) -> String {
        switch type {
        case .hidden where value != nil: value ?? ""
        case .checkboxes, .file: values.joined(separator: ",")
        case .checkbox: values.first ?? "false"
        default: values.first ?? ""
        }
    }
}
