internal import Yams

extension FormFileReader {
    static let verifyKeys = ["questions", "maxAttempts", "lifetime", "lockedVariables", "help"]
    static let questionKeys = ["name", "label", "type", "answer", "autocomplete"]
    static let verifyTranslationKeys = ["help", "questions"]

    /// `verify:`. Written but unreadable is a problem, never "no verification": a form whose author
    /// asked for verification must not open without it. Limits are checked with the definition
    /// (``FormDefinition/definitionProblems(droppedFields:droppedAnyField:)``), so forms built in
    /// code get the same messages.
    mutating func readVerification(_ node: Node?) -> Verification? {
        guard let node, !reportEmpty(node, "verify"), let mapping = reader.mapping(node, "verify") else { return nil }
        let keys = reader.keyed(mapping, allowed: Self.verifyKeys, path: "verify")
        var verification = Verification(questions: readQuestions(keys["questions"]))
        for key in ["maxAttempts", "lockedVariables"] {
            if let value = keys[key] { reportEmpty(value, "verify.\(key)") }
        }
        if let maxAttempts = reader.integer(keys["maxAttempts"], "verify.maxAttempts") {
            verification.maxAttempts = maxAttempts
        }
        if let lifetime = readDuration(keys["lifetime"], "verify.lifetime") {
            verification.lifetime = lifetime
        }
        if let node = keys["lockedVariables"], node.null == nil {
            let variables = readVariables(node, path: "verify.lockedVariables")
            // Only a mapping replaces the default: one of the wrong kind is reported already, and
            // "needs at least one variable" on top would only repeat it.
            if node.mapping != nil { verification.lockedVariables = variables }
        }
        verification.help = reader.text(keys["help"], "verify.help")
        return verification
    }

    /// `expiresAfter:` and `verify.lifetime`: read with ``Swift/Duration/init(parsing:)``, like
    /// the configuration's durations.
    mutating func readDuration(_ node: Node?, _ key: String) -> Duration? {
        guard let node, !reportEmpty(node, key), let text = reader.text(node, key) else { return nil }
        guard let duration = Duration(parsing: text) else {
            reader.add("\(key): \"\(text)\" is not a duration like 30m, 12h or 7d", at: node)
            return nil
        }
        return duration
    }

    /// `key:` with nothing after it. Leaving out a key means its default; writing it empty more
    /// likely means a value was lost, so it is reported rather than read as the default.
    @discardableResult
    private mutating func reportEmpty(_ node: Node, _ key: String) -> Bool {
        guard node.null != nil else { return false }
        reader.add("\(key) has no value (give one, or leave \(key) out)", at: node)
        return true
    }

    private mutating func readQuestions(_ node: Node?) -> [Verification.Question] {
        guard let items = reader.sequence(node, "verify.questions") else { return [] }
        var questions: [Verification.Question] = []
        for (index, item) in items.enumerated() {
            if let question = readQuestion(item, number: index + 1) {
                questions.append(question)
                questionPlaces.append(["verify", "questions", String(index)])
            }
        }
        return questions
    }

    /// A question without a name or label is kept with an empty one, for the definition's checks
    /// to report; without `type` it compares as text, as a field without one is a text field.
    private mutating func readQuestion(_ node: Node, number: Int) -> Verification.Question? {
        guard case .mapping(let mapping) = node else {
            reader.add("verify.questions: question \(number) must be a mapping of name, label, type and answer", at: node)
            return nil
        }
        let name = mapping["name"].flatMap { reader.text($0, "verify.questions.\(number).name") } ?? ""
        let path = Verification.Question.path(name: name, number: number)
        let keys = reader.keyed(mapping, allowed: Self.questionKeys, path: path)
        func text(_ key: String) -> String? { reader.text(keys[key], "\(path).\(key)") }

        var kind = Verification.AnswerKind.text
        if let typeName = text("type") {
            if let known = Verification.AnswerKind(rawValue: typeName) {
                kind = known
            } else {
                let meant = Suggestion.closest(to: typeName, in: Verification.AnswerKind.allCases.map(\.rawValue))
                let reason = "\(path): unknown type \"\(typeName)\"" + (meant == nil ? " (expected one of \(Verification.AnswerKind.spellings))" : "")
                reader.add(reason, suggestion: meant, at: keys["type"])
            }
        }
        return Verification.Question(
            name: name,
            label: text("label") ?? "",
            kind: kind,
            answerPath: text("answer") ?? "",
            autocomplete: text("autocomplete")
        )
    }

    /// `translations.<lang>.verify`: `{help: …, questions: {name: label}}`.
    mutating func readVerifyTranslation(_ node: Node?, path: String) -> (help: String?, labels: [String: String]) {
        guard let mapping = reader.mapping(node, path) else { return (nil, [:]) }
        let keys = reader.keyed(mapping, allowed: Self.verifyTranslationKeys, path: path)
        var labels: [String: String] = [:]
        if let questions = reader.mapping(keys["questions"], "\(path).questions") {
            for (nameNode, labelNode) in questions {
                guard let name = nameNode.scalar?.string else {
                    reader.add("\(path).questions: question names must be text", atKey: nameNode)
                    continue
                }
                labels[name] = reader.text(labelNode, "\(path).questions.\(name)")
            }
        }
        return (reader.text(keys["help"], "\(path).help"), labels)
    }
}

extension Verification.Question {
    /// Where a question's problems are: `verify.questions.postcode`, or by position while it
    /// has no name.
    static func path(name: String, number: Int) -> String {
        "verify.questions.\(name.isEmpty ? String(number) : name)"
    }
}
