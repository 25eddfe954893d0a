extension Verification {
    /// The answers typed into the verification step, each normalised for comparing, or the
    /// problems to show instead: an empty answer is `required`, and one that cannot be read as
    /// its kind (a date that is no date) its kind's problem. Answers with a problem cost no attempt.
    public func answers(in values: FormValues) -> (answers: [String], problems: [String: FieldProblem]) {
        var answers: [String] = []
        var problems: [String: FieldProblem] = [:]
        for question in questions {
            let typed = values.first(question.name) ?? ""
            if typed.allSatisfy(\.isWhitespace) {
                problems[question.name] = .required
            } else if let answer = question.kind.normalise(typed) {
                answers.append(answer)
            } else {
                problems[question.name] = question.kind == .date ? .invalidDate : .required
            }
        }
        return (answers, problems)
    }
}
