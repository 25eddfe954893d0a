internal import Foundation

extension FormDefinition {
    /// Long enough to open a link that was just sent; short enough that a link is not a
    /// standing key to the context.
    static let expiryRange: ClosedRange<Duration> = .seconds(60)...(.seconds(90 * 86_400))

    /// `verify:` and `expiresAfter:`; see ``definitionProblems(droppedFields:droppedAnyField:)``.
    func checkVerification(into problems: inout ProblemCollector) {
        if let expiresAfter, !Self.expiryRange.contains(expiresAfter) {
            problems.add("expiresAfter must be from \(Self.expiryRange.written), not \(expiresAfter.writtenForm)", place: ["expiresAfter"])
        }
        verification?.check(into: &problems)
    }

    /// `translations.<lang>.verify`: texts for questions the form has.
    ///
    /// - Parameter place: where `translations.<lang>.verify` is written.
    func checkVerifyTranslation(_ translation: FormTranslation, prefix: String, place: [String], into problems: inout ProblemCollector) {
        let prefix = "\(prefix).verify"
        guard translation.verifyHelp != nil || !translation.verifyQuestionLabels.isEmpty else { return }
        guard let verification else {
            problems.add("\(prefix): the form has no verify step", place: place)
            return
        }
        if let help = translation.verifyHelp, help.isBlank {
            problems.add("\(prefix).help must not be empty", place: place + ["help"])
        }
        for name in translation.verifyQuestionLabels.keys.sorted() {
            let questionPlace = place + ["questions", name]
            if !verification.questions.contains(where: { $0.name == name }) {
                problems.add(
                    "\(prefix).questions: unknown question \"\(name)\"",
                    suggestion: Suggestion.closest(to: name, in: verification.questions.map(\.name)),
                    key: questionPlace
                )
            } else if translation.verifyQuestionLabels[name]?.isBlank == true {
                problems.add("\(prefix).questions.\(name) must not be empty", place: questionPlace)
            }
        }
    }
}

extension Verification {
    static let questionCounts = 1...2
    static let attemptRange = 1...10
    /// At least a minute to answer; at most a day, after which the person answers again.
    static let lifetimeRange: ClosedRange<Duration> = .seconds(60)...(.seconds(86_400))
    /// The names the web layer posts next to the answers.
    static let reservedNames: Set = ["_token", "_lang", "_action"]

    fileprivate func check(into problems: inout ProblemCollector) {
        if !Self.questionCounts.contains(questions.count) {
            problems.add("verify.questions: give one or two questions, not \(questions.count)", place: ["verify", "questions"])
        }
        var seen: Set<String> = []
        for (index, question) in questions.enumerated() {
            question.check(number: index + 1, place: problems.questionPlace(index), seen: &seen, into: &problems)
        }
        if !Self.attemptRange.contains(maxAttempts) {
            problems.add(
                "verify.maxAttempts must be from \(Self.attemptRange.lowerBound) to \(Self.attemptRange.upperBound), not \(maxAttempts)",
                place: ["verify", "maxAttempts"]
            )
        }
        if !Self.lifetimeRange.contains(lifetime) {
            problems.add("verify.lifetime must be from \(Self.lifetimeRange.written), not \(lifetime.writtenForm)", place: ["verify", "lifetime"])
        }
        checkLockedVariables(into: &problems)
        if help?.isBlank == true {
            problems.add("verify.help must not be empty", place: ["verify", "help"])
        }
    }

    /// The same rules as `outcome.variables`, and never none: an empty Outcome could not tell
    /// the CX script that the session was locked.
    private func checkLockedVariables(into problems: inout ProblemCollector) {
        let prefix = "verify.lockedVariables: "
        if lockedVariables.isEmpty {
            problems.add(
                "\(prefix)the locked outcome needs at least one variable, so the CX script can tell it from a submission",
                place: ["verify", "lockedVariables"]
            )
        }
        var seen: Set<String> = []
        for variable in lockedVariables {
            if !FormDefinition.isFitForVariable(variable.id) {
                problems.add(
                    "\(prefix)variable \"\(variable.id)\" is unfit for Alvaria (it must not be empty or contain spaces)",
                    place: ["verify", "lockedVariables", variable.id]
                )
            } else if !seen.insert(variable.id).inserted {
                problems.add("\(prefix)variable \"\(variable.id)\" appears twice", place: ["verify", "lockedVariables", variable.id])
            }
        }
    }
}

extension Verification.Question {
    fileprivate func check(number: Int, place: [String], seen: inout Set<String>, into problems: inout ProblemCollector) {
        let path = Self.path(name: name, number: number)
        func add(_ reason: String, _ key: String) { problems.add("\(path): \(reason)", place: place + [key]) }

        if name.isEmpty {
            problems.add("verify.questions: question \(number) has no name", place: place)
        } else if Verification.reservedNames.contains(name) {
            add("the name is reserved for the page (\(Verification.reservedNames.sorted().joined(separator: ", ")))", "name")
        } else if !FieldDefinition.isFitName(name) {
            add("the name is unfit for a form field (use a letter, then up to 63 letters, digits, _ or -)", "name")
        } else if !seen.insert(name).inserted {
            add("another question is already named \"\(name)\"", "name")
        }
        if label.isBlank {
            add("a question needs a label", "label")
        }
        if answerPath.isEmpty {
            add("a question needs an answer: where the expected answer is in the context, like context.postalCode", "answer")
        } else if !Self.isContextPath(answerPath) {
            add("answer \"\(answerPath)\" must be a path into the context, like context.postalCode", "answer")
        }
        if let autocomplete, !Self.isToken(autocomplete) {
            add("autocomplete \"\(autocomplete)\" must be a token like postal-code or bday (letters, digits, - and spaces)", "autocomplete")
        }
    }

    private static func isContextPath(_ path: String) -> Bool {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count >= 2 && parts[0] == "context" && !parts.contains(where: \.isEmpty)
    }

    /// What goes into the HTML `autocomplete` attribute: tokens like `shipping postal-code`.
    private static func isToken(_ text: String) -> Bool {
        !text.isBlank
            && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == " ") }
    }
}

extension ClosedRange<Duration> {
    /// `1m to 24h`.
    fileprivate var written: String { "\(lowerBound.writtenForm) to \(upperBound.writtenForm)" }
}

extension String {
    fileprivate var isBlank: Bool { trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
}
