extension FormDefinition {
    /// Whether the form is shown one step at a time (`steps:`) rather than on one page.
    public var isMultiStep: Bool { !steps.isEmpty }

    /// The step with this id and its position (0-based).
    public func step(id: String) -> (index: Int, step: FormStep)? {
        guard let index = steps.firstIndex(where: { $0.id == id }) else { return nil }
        return (index, steps[index])
    }

    /// The fields of one step, in order.
    public func fields(of step: FormStep) -> ArraySlice<FieldDefinition> {
        // Clamped: a step built in code with a range past the fields (loading refuses it) must
        // not trap the server.
        fields[step.fieldRange.clamped(to: fields.indices)]
    }

    /// The step that holds the field with this name.
    public func step(holding fieldName: String) -> FormStep? {
        guard let index = fields.firstIndex(where: { $0.name == fieldName }) else { return nil }
        return steps.first { $0.fieldRange.contains(index) }
    }

    /// Checks one step's answers: ``validate(_:context:)``'s normalisation and rules, limited to
    /// the fields of `step`.
    ///
    /// - Parameter submission: every answer so far — earlier steps' (from the draft) and this
    ///   step's (as posted) — so a `showIf` on an earlier step's field is decided by that
    ///   field's normalised value.
    /// - Returns: the normalised values of the step's fields only, and the problems of its
    ///   shown fields only, in form order.
    public func validate(_ submission: FormValues, context: FormContext?, step: FormStep) -> FormValidation {
        // The whole form, so the rules and the showIf decisions are the very ones a final
        // submit applies; a field's shown state depends only on fields above it, so later
        // steps' missing answers change nothing here.
        let whole = validate(submission, context: context)
        let names = Set(fields(of: step).map(\.name))
        var values = FormValues([])
        for name in names {
            values[name] = whole.values[name]
        }
        return FormValidation(values: values, errors: whole.errors.filter { names.contains($0.field) })
    }
}
