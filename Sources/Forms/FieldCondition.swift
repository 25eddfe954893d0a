/// `showIf:` on a field: it is shown, validated and sent only while an earlier field has one of
/// these values (`equals: v` is `in: [v]`). A `checkbox` has `"true"` or `"false"`; `checkboxes`
/// match when any chosen option is listed.
public struct FieldCondition: Sendable, Equatable {
    /// The name of the controlling field; it must come earlier in the form, so conditions can
    /// be evaluated top to bottom and can never form a cycle.
    public var field: String
    public var values: [String]

    public init(field: String, values: [String]) {
        self.field = field
        self.values = values
    }

    func holds(for controllerValues: [String]) -> Bool {
        controllerValues.contains(where: values.contains)
    }
}

extension FormDefinition {
    /// The names of the fields a person is asked for, given these (normalised) values: every
    /// field without `showIf`, and those whose condition holds and whose controlling field is
    /// itself shown.
    public func shownFieldNames(for values: FormValues) -> Set<String> {
        var shown: Set<String> = []
        for field in fields {
            guard let condition = field.showIf else {
                shown.insert(field.name)
                continue
            }
            if shown.contains(condition.field), condition.holds(for: values[condition.field]) {
                shown.insert(field.name)
            }
        }
        return shown
    }

    /// The Outcome variable ids of `sensitive: true` fields, whose values are erased from
    /// storage as soon as they are delivered.
    public var sensitiveVariables: Set<String> {
        Set(fields.filter(\.sensitive).map(\.variable))
    }
}
