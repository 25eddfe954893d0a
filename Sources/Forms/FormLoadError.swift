/// One thing wrong with a form file: where, and what.
public struct FormProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file, as the directory was given plus the file name (`config/forms/address.yaml`).
    public var file: String
    /// The field's name, when the problem belongs to one.
    public var field: String?
    public var reason: String

    public init(file: String, field: String? = nil, reason: String) {
        self.file = file
        self.field = field
        self.reason = reason
    }

    /// `config/forms/address.yaml: field "street": unknown type "txt" (expected one of …)`,
    /// or without the field part for problems of the whole file.
    public var description: String {
        if let field {
            "\(file): field \"\(field)\": \(reason)"
        } else {
            "\(file): \(reason)"
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
