public import Foundation

extension FormCheck {
    /// One line per problem (`file:line:column: field "x": reason (did you mean "y"?)`), then a
    /// summary: `3 problems in 2 of 6 forms` or `6 forms, all valid`. A directory problem is its
    /// one line.
    public var textReport: String {
        if let directoryProblem { return directoryProblem.description }
        let lines = problems.map(\.description)
        return (lines + [summary]).joined(separator: "\n")
    }

    /// `3 problems in 2 of 6 forms`, `1 form, valid`, `6 forms, all valid`.
    public var summary: String {
        let count = files.count
        let forms = count == 1 ? "1 form" : "\(count) forms"
        let problemCount = problems.count
        guard problemCount > 0 else { return count == 1 ? "1 form, valid" : "\(forms), all valid" }
        let invalid = files.filter { !$0.isValid }.count
        return "\(problemCount == 1 ? "1 problem" : "\(problemCount) problems") in \(invalid) of \(forms)"
    }

    /// One JSON document for pipelines:
    /// `{"valid": bool, "forms": [{"file", "id", "valid", "problems": [{"line", "column", "field",
    /// "reason", "suggestion"}]}]}`, files in file-name order, absent values as `null`, the
    /// suggestion apart from the reason.
    public var jsonReport: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Only strings, numbers, booleans and null: encoding cannot fail.
        return (try? encoder.encode(Report(self))) ?? Data("{}".utf8)
    }

    private struct Report: Encodable {
        let valid: Bool
        let forms: [Form]

        init(_ check: FormCheck) {
            valid = check.isValid
            forms = check.files.map(Form.init)
        }
    }

    private struct Form: Encodable {
        let file: String
        let id: String?
        let valid: Bool
        let problems: [Problem]

        init(_ file: FormCheck.File) {
            self.file = file.path
            id = file.id
            valid = file.isValid
            problems = file.problems.map(Problem.init)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(file, forKey: .file)
            try container.encode(id, forKey: .id)
            try container.encode(valid, forKey: .valid)
            try container.encode(problems, forKey: .problems)
        }

        enum CodingKeys: String, CodingKey { case file, id, valid, problems }
    }

    private struct Problem: Encodable {
        let problem: FormProblem

        init(_ problem: FormProblem) {
            self.problem = problem
        }

        func encode(to encoder: any Encoder) throws {
            // `encode` of an optional writes null; the synthesized conformance would leave it out.
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(problem.line, forKey: .line)
            try container.encode(problem.column, forKey: .column)
            try container.encode(problem.field, forKey: .field)
            try container.encode(problem.reason, forKey: .reason)
            try container.encode(problem.suggestion, forKey: .suggestion)
        }

        enum CodingKeys: String, CodingKey { case line, column, field, reason, suggestion }
    }
}
