internal import Foundation

extension FormDefinition {
    /// Everything wrong with this form that does not depend on how it was written down: names,
    /// duplicates, regexes, ranges, options, Mustache, verification, translations. Loading adds
    /// what only the YAML can tell (unknown keys, wrong kinds of values);
    /// ``FormCatalog/init(forms:)`` runs this for forms built in code.
    ///
    /// - Parameters:
    ///   - droppedFields: names of fields the file has but that could not be read (an unknown
    ///     type, say), so translations of them are not reported a second time.
    ///   - droppedAnyField: whether any field was left out, named or not.
    ///   - incompleteSteps: positions of steps that lost fields that way.
    ///   - source: where things are written in the form's file, for the problems' lines.
    func definitionProblems(
        droppedFields: Set<String> = [],
        droppedAnyField: Bool = false,
        incompleteSteps: Set<Int> = [],
        source: FormSource? = nil
    ) -> [FormProblem] {
        var problems = ProblemCollector(file: problemFile, source: source)
        checkForm(reportingNoFields: !droppedAnyField, into: &problems)
        checkSteps(incompleteSteps: incompleteSteps, into: &problems)
        for (index, field) in fields.enumerated() {
            field.check(into: &problems, at: problems.fieldPlace(index))
        }
        checkDuplicateFieldNames(into: &problems)
        checkVariables(into: &problems)
        checkDecline(into: &problems)
        checkVerification(into: &problems)
        checkTranslations(droppedFields: droppedFields, into: &problems)
        checkConditions(into: &problems)
        checkPresentation(into: &problems)
        return problems.problems
    }

    /// The file to name in a problem; forms built in code have none, so their id stands in.
    public var problemFile: String {
        sourceFile.isEmpty ? "form \"\(id)\"" : sourceFile
    }

    private func checkForm(reportingNoFields: Bool, into problems: inout ProblemCollector) {
        if id.isEmpty {
            problems.add("missing id", place: ["id"])
        } else if !Self.isFitForURL(id) {
            problems.add("id \"\(id)\" is unfit for a URL (use 1–64 of a-z, 0-9 and -, starting with a letter or digit)", place: ["id"])
        }
        if title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.add("missing title", place: ["title"])
        }
        if submitLabel.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.add("submitLabel must not be empty", place: ["submitLabel"])
        }
        if let intro, compiledIntro?.source != intro {
            problems.add("intro: \(Self.introProblem(intro))", place: ["intro"])
        }
        // Fields left out as unreadable are reported already; "no fields" would mislead then.
        // Each step of a multi-step form says it of itself.
        if fields.isEmpty, !isMultiStep, reportingNoFields {
            problems.add("fields: a form needs at least one field", place: ["fields"])
        }
    }

    private func checkDuplicateFieldNames(into problems: inout ProblemCollector) {
        var seen: Set<String> = []
        for (index, field) in fields.enumerated() where !seen.insert(field.name).inserted {
            problems.add(
                "duplicate field name: another field is already named \"\(field.name)\"",
                field: field.name,
                place: problems.fieldPlace(index) + ["name"]
            )
        }
    }

    /// Variable ids must be unique across fields, fixed variables and `submittedAt`: Alvaria
    /// would keep only one value per id, silently.
    private func checkVariables(into problems: inout ProblemCollector) {
        var owners: [String: String] = [:]
        func claim(_ id: String, by owner: String, field: String?, prefix: String, place: [String]) {
            if !Self.isFitForVariable(id) {
                problems.add("\(prefix)variable \"\(id)\" is unfit for Alvaria (it must not be empty or contain spaces)", field: field, place: place)
            } else if let previous = owners[id] {
                problems.add("\(prefix)variable \"\(id)\" is already used by \(previous)", field: field, place: place)
            } else {
                owners[id] = owner
            }
        }
        for (index, field) in fields.enumerated() {
            // A field without `variable:` uses its name: the place is the name then.
            let key = field.variable == field.name ? "name" : "variable"
            claim(field.variable, by: "field \"\(field.name)\"", field: field.name, prefix: "", place: problems.fieldPlace(index) + [key])
        }
        for variable in fixedVariables {
            claim(variable.id, by: "outcome.variables", field: nil, prefix: "outcome.variables: ", place: ["outcome", "variables", variable.id])
        }
        if let submittedAtVariable {
            claim(submittedAtVariable, by: "outcome.submittedAt", field: nil, prefix: "outcome.submittedAt: ", place: ["outcome", "submittedAt"])
        }
    }

    private func checkDecline(into problems: inout ProblemCollector) {
        guard let decline else { return }
        if decline.label.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.add("decline.label must not be empty", place: ["decline", "label"])
        }
        if decline.variables.isEmpty {
            problems.add(
                "decline.variables: a decline needs at least one variable, so the CX script can tell it from a submission",
                place: ["decline", "variables"]
            )
        }
        var seen: Set<String> = []
        for variable in decline.variables {
            let place = ["decline", "variables", variable.id]
            if !Self.isFitForVariable(variable.id) {
                problems.add(
                    "decline.variables: variable \"\(variable.id)\" is unfit for Alvaria (it must not be empty or contain spaces)",
                    place: place
                )
            } else if !seen.insert(variable.id).inserted {
                problems.add("decline.variables: variable \"\(variable.id)\" appears twice", place: place)
            } else if variable.id == submittedAtVariable {
                problems.add("decline.variables: variable \"\(variable.id)\" is already used by outcome.submittedAt", place: place)
            }
        }
    }

    private func checkTranslations(droppedFields: Set<String>, into problems: inout ProblemCollector) {
        for code in translations.keys.sorted() {
            guard let translation = translations[code] else { continue }
            let prefix = "translations.\(code)"
            let place = ["translations", code]
            if !Self.isLanguageCode(code) {
                problems.add("\(prefix): \"\(code)\" is not a language code like es or es-MX", place: place)
            }
            if let intro = translation.intro, translation.compiledIntro?.source != intro {
                problems.add("\(prefix).intro: \(Self.introProblem(intro))", place: place + ["intro"])
            }
            let plainTexts = [("title", translation.title), ("submitLabel", translation.submitLabel), ("declineLabel", translation.declineLabel)]
            for (key, text) in plainTexts where text.map(Self.isBlank) == true {
                problems.add("\(prefix).\(key) must not be empty", place: place + [key])
            }
            if translation.declineLabel != nil, decline == nil {
                problems.add("\(prefix).declineLabel: the form has no decline button", place: place + ["declineLabel"])
            }
            checkVerifyTranslation(translation, prefix: prefix, place: place + ["verify"], into: &problems)
            checkStepTranslations(translation, prefix: prefix, place: place + ["steps"], into: &problems)
            for name in translation.fields.keys.sorted() {
                guard let texts = translation.fields[name] else { continue }
                let fieldPlace = place + ["fields", name]
                guard let field = field(named: name) else {
                    if !droppedFields.contains(name) {
                        problems.add(
                            "\(prefix).fields: unknown field \"\(name)\"",
                            suggestion: Suggestion.closest(to: name, in: fields.map(\.name) + droppedFields.sorted()),
                            key: fieldPlace
                        )
                    }
                    continue
                }
                if texts.label.map(Self.isBlank) == true || texts.options.values.contains(where: Self.isBlank) {
                    let blankOption = texts.options.keys.sorted().first { texts.options[$0].map(Self.isBlank) == true }
                    let key = texts.label.map(Self.isBlank) == true ? ["label"] : ["options", blankOption ?? ""]
                    problems.add("\(prefix): labels must not be empty", field: name, place: fieldPlace + key)
                }
                if texts.placeholder != nil, !field.type.acceptsPlaceholder {
                    problems.add(
                        "\(prefix): placeholder does not apply to type \(field.type.rawValue)",
                        field: name,
                        place: fieldPlace + ["placeholder"]
                    )
                }
                if texts.help != nil, !field.type.isVisible {
                    problems.add("\(prefix): help does not apply to type \(field.type.rawValue)", field: name, place: fieldPlace + ["help"])
                }
                for value in texts.options.keys.sorted() where !field.options.contains(where: { $0.value == value }) {
                    problems.add(
                        "\(prefix): unknown option \"\(value)\"",
                        field: name,
                        suggestion: Suggestion.closest(to: value, in: field.options.map(\.value)),
                        key: fieldPlace + ["options", value]
                    )
                }
            }
        }
    }

    /// A `showIf` must name a field above it (so conditions never form a cycle), on the same
    /// step or an earlier one (a step is checked before the next is shown), and values that
    /// field can have.
    private func checkConditions(into problems: inout ProblemCollector) {
        for (index, field) in fields.enumerated() {
            guard let condition = field.showIf else { continue }
            let place = problems.fieldPlace(index) + ["showIf"]
            guard let controller = fields[..<index].first(where: { $0.name == condition.field }) else {
                let reason: String
                var suggestion: String?
                if let laterStep = step(holding: condition.field), !laterStep.fieldRange.contains(index) {
                    reason = "showIf: field \"\(condition.field)\" is on a later step (\"\(laterStep.id)\")"
                } else if fields.contains(where: { $0.name == condition.field }) {
                    reason = "showIf: field \"\(condition.field)\" must come before this one"
                } else {
                    reason = "showIf: there is no field \"\(condition.field)\""
                    // Only fields above can be named: a guess below would be refused too.
                    suggestion = Suggestion.closest(to: condition.field, in: fields[..<index].map(\.name))
                }
                problems.add(reason, field: field.name, suggestion: suggestion, place: place + ["field"])
                continue
            }
            if controller.type == .file {
                problems.add(
                    "showIf: field \"\(controller.name)\" takes files, which no condition can test",
                    field: field.name,
                    place: place + ["field"]
                )
                continue
            }
            let possible: [String]? =
                switch controller.type {
                case .checkbox: ["true", "false"]
                case .select, .radio, .checkboxes: controller.options.map(\.value)
                default: nil
                }
            for value in condition.values where possible.map({ !$0.contains(value) }) ?? false {
                problems.add(
                    "showIf: \"\(value)\" is not a value field \"\(controller.name)\" can have",
                    field: field.name,
                    suggestion: possible.flatMap { Suggestion.closest(to: value, in: $0) },
                    // `equals:` when written so, else the showIf (an `in:` list).
                    place: place + ["equals"]
                )
            }
        }
    }

    private func checkPresentation(into problems: inout ProblemCollector) {
        if !Self.isLanguageCode(language) {
            problems.add("language: \"\(language)\" is not a language code like en or es-MX", place: ["language"])
        }
        guard let branding else { return }
        for problem in branding.contrastProblems {
            problems.add("branding.\(problem.setting): \(problem.message)", place: ["branding", problem.setting])
        }
        for (key, path) in [("logo", branding.logo), ("favicon", branding.favicon)] {
            if let path, !Self.isPublicPath(path) {
                problems.add("branding.\(key): \"\(path)\" must be a relative path inside Public/, like img/logo.svg", place: ["branding", key])
            }
        }
    }

    /// `img/logo.svg`: relative, no `..`, URL-safe characters only.
    public static func isPublicPath(_ path: String) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        return !path.isEmpty
            && segments.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." && $0.allSatisfy(allowed.contains) }
    }

    static func introProblem(_ source: String) -> String {
        do {
            _ = try IntroTemplate.compile(source)
            return "could not be compiled"
        } catch {
            return error.reason
        }
    }

    static func isBlank(_ text: String) -> Bool {
        text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    static func isFitForURL(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard (1...64).contains(bytes.count), let first = bytes.first, isLowerAlphanumeric(first) else { return false }
        return bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    static func isFitForVariable(_ id: String) -> Bool {
        !id.isEmpty && !id.unicodeScalars.contains { $0.properties.isWhitespace || $0.properties.generalCategory == .control }
    }

    /// `es`, `pt-BR`, `zh-Hant-TW`: letters, then subtags of letters and digits.
    static func isLanguageCode(_ code: String) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        guard let primary = parts.first, (2...3).contains(primary.count),
            primary.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic })
        else { return false }
        return parts.dropFirst().allSatisfy { part in
            (1...8).contains(part.count) && part.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
        }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
