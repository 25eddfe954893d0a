/// One thing wrong with a form file: where, and what.
public struct FormProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file, as the directory was given plus the file name (`config/forms/address.yaml`).
    public var file: String
    /// Where in the file, counted from 1: the value concerned, or its key when it has no value
    /// of its own (an unknown key, a mapping). `nil` for problems of no one place (a file that
    /// cannot be read) and for forms built in code.
    public var line: Int?
    public var column: Int?
    /// The field's name, when the problem belongs to one.
    public var field: String?
    /// What is wrong, without the suggestion.
    public var reason: String
    /// A close valid spelling of what was written (a key, a type, a field's name), when there is
    /// one: the "did you mean" of ``message``.
    public var suggestion: String?

    public init(file: String, field: String? = nil, reason: String, suggestion: String? = nil, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.field = field
        self.reason = reason
        self.suggestion = suggestion
        self.line = line
        self.column = column
    }

    /// The reason, with the suggestion folded in: `unknown type "txt" (did you mean "text"?)`.
    public var message: String {
        guard let suggestion else { return reason }
        return "\(reason) (did you mean \"\(suggestion)\"?)"
    }

    /// `config/forms/address.yaml:12:11`, or only as much of it as is known.
    public var location: String {
        guard let line else { return file }
        return column.map { "\(file):\(line):\($0)" } ?? "\(file):\(line)"
    }

    /// `config/forms/address.yaml:12:11: field "street": unknown type "txt" (did you mean "text"?)`,
    /// without the field part for problems of the whole file.
    public var description: String {
        if let field {
            "\(location): field \"\(field)\": \(message)"
        } else {
            "\(location): \(message)"
        }
    }
}

/// Form files that cannot be served, with every problem found in all of them, so one start-up
/// attempt shows everything to fix.
public struct FormLoadError: Error, CustomStringConvertible {
    public var problems: [FormProblem]

    public init(problems: [FormProblem]) {
        self.problems = problems
    }

    /// One line per problem.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
