extension FormDefinition {
    /// The values to show when the form opens: a literal `value:`, else the `prefill` path
    /// looked up in the context; fields with neither (or a path the context lacks) get none.
    ///
    /// A `checkbox` comes out `"true"` when the context holds `true`/`1`/`yes`/`on` and `"false"`
    /// otherwise; `checkboxes` read a JSON array or a comma-joined text and keep only values
    /// that are options, in the options' order.
    public func prefilledValues(from context: FormContext) -> FormValues {
        var values = FormValues([])
        for field in fields {
            if let literal = field.value {
                values[field.name] = field.prefill(from: literal.split(separator: ",").map(String.init), single: literal)
            } else if let path = field.prefill {
                if field.type == .checkboxes {
                    values[field.name] = field.prefill(from: context.values(at: path) ?? [], single: nil)
                } else if let text = context.value(at: path) {
                    values[field.name] = field.prefill(from: [text], single: text)
                } else if field.type == .checkbox {
                    values[field.name] = ["false"]
                }
            }
        }
        return values
    }
}

extension FieldDefinition {
    fileprivate func prefill(from several: [String], single: String?) -> [String] {
        switch type {
        case .checkbox:
            return [Self.checkboxState(single ?? "") == true ? "true" : "false"]
        case .checkboxes:
            let wanted = several.map(Self.trimmed)
            return options.map(\.value).filter(wanted.contains)
        default:
            return single.map { [$0] } ?? []
        }
    }
}
