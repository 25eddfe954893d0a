extension FormDefinition {
    /// Ids fit for the URL and unique, titles, intros, and fields a person can fill on every step.
    /// Field names, variables and `showIf` are checked across the flattened ``fields``, which is
    /// what makes them unique across steps.
    func checkSteps(incompleteSteps: Set<Int>, into problems: inout ProblemCollector) {
        guard isMultiStep else { return }
        if !stepsCoverFields {
            problems.add("steps: the steps' field ranges must cover every field once, in order", place: ["steps"])
        }
        var seen: Set<String> = []
        for (index, step) in steps.enumerated() {
            let path = FormStep.path(id: step.id, number: index + 1)
            let place = problems.stepPlace(index)
            if step.id.isEmpty {
                problems.add("\(path): missing id", place: place)
            } else if step.id == FormStep.reviewId {
                problems.add("\(path): the id \"\(FormStep.reviewId)\" is reserved for the review screen", place: place + ["id"])
            } else if !Self.isFitForURL(step.id) {
                problems.add(
                    "\(path): id \"\(step.id)\" is unfit for a URL (use 1–64 of a-z, 0-9 and -, starting with a letter or digit)",
                    place: place + ["id"]
                )
            } else if !seen.insert(step.id).inserted {
                problems.add("\(path): duplicate step id: another step is already called \"\(step.id)\"", place: place + ["id"])
            }
            if Self.isBlank(step.title) {
                problems.add("\(path): missing title", place: place + ["title"])
            }
            if let intro = step.intro, step.compiledIntro?.source != intro {
                problems.add("\(path).intro: \(Self.introProblem(intro))", place: place + ["intro"])
            }
            let stepFields = fields(of: step)
            if stepFields.isEmpty {
                // Fields left out as unreadable are reported already.
                if !incompleteSteps.contains(index) {
                    problems.add("\(path): a step needs at least one field", place: place + ["fields"])
                }
            } else if !stepFields.contains(where: \.type.isVisible) {
                problems.add("\(path): a step needs at least one field a person can fill in, not only hidden ones", place: place + ["fields"])
            }
        }
    }

    /// Loading builds contiguous ranges; a form built in code might not, and a field outside
    /// every step would never be asked for, or one in two steps asked for twice.
    private var stepsCoverFields: Bool {
        var next = 0
        for step in steps {
            guard step.fieldRange.lowerBound == next else { return false }
            next = step.fieldRange.upperBound
        }
        return next == fields.count
    }

    /// `translations.<lang>.steps`: known step ids, texts that are not blank, intros that compile.
    ///
    /// - Parameter place: where `translations.<lang>.steps` is written.
    func checkStepTranslations(_ translation: FormTranslation, prefix: String, place: [String], into problems: inout ProblemCollector) {
        for id in translation.steps.keys.sorted() {
            guard let texts = translation.steps[id] else { continue }
            let path = "\(prefix).steps.\(id)"
            guard step(id: id) != nil else {
                problems.add(
                    "\(prefix).steps: unknown step \"\(id)\"",
                    suggestion: Suggestion.closest(to: id, in: steps.map(\.id)),
                    key: place + [id]
                )
                continue
            }
            if texts.title.map(Self.isBlank) == true {
                problems.add("\(path).title must not be empty", place: place + [id, "title"])
            }
            if let intro = texts.intro, texts.compiledIntro?.source != intro {
                problems.add("\(path).intro: \(Self.introProblem(intro))", place: place + [id, "intro"])
            }
        }
    }
}
