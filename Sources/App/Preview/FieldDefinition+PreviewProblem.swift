import Forms

extension FieldDefinition {
    /// The problem the preview's "every field in error" shows for this field: "required" for a
    /// required field, else the one its type and rules make likeliest; none for a hidden field,
    /// which the person never sees.
    var previewProblem: FieldProblem? {
        if type == .hidden { return nil }
        if required { return .required }
        switch type {
        case .email: return .invalidEmail
        case .url: return .invalidURL
        case .tel: return .invalidTelephone
        case .text, .textarea:
            if pattern != nil, type == .text { return .patternMismatch }
            if let minLength { return .tooShort(minimum: minLength) }
            return .tooLong(maximum: maxLength ?? (type == .textarea ? Self.defaultTextareaMaxLength : Self.defaultMaxLength))
        case .number, .date, .time:
            if let min { return .belowMinimum(min) }
            if let max { return .aboveMaximum(max) }
            return type == .number ? .invalidNumber : type == .date ? .invalidDate : .invalidTime
        case .select, .radio, .checkbox, .checkboxes: return .notAnOption
        case .file: return .fileType
        case .hidden: return nil
        }
    }
}

extension Sequence<FieldDefinition> {
    /// One error for each field that can show one.
    var previewErrors: [FieldError] {
        compactMap { field in field.previewProblem.map { FieldError(field: field.name, problem: $0) } }
    }
}
