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
    func definitionProblems(
        droppedFields: Set<String> = [],
        droppedAnyField: Bool = false,
        incompleteSteps: Set<Int> = []
    ) -> [FormProblem] {
        var problems = ProblemCollector(file: problemFile)
        checkForm(reportingNoFields: !droppedAnyField, into: &problems)
        checkSteps(incompleteSteps: incompleteSteps, into: &problems)
        for field in fields {
            field.check(into: &problems)
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
            problems.add("missing id")
        } else if !Self.isFitForURL(id) {
            problems.add("id \"\(id)\" is unfit for a URL (use 1–64 of a-z, 0-9 and -, starting with a letter or digit)")
        }
        if title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.add("missing title")
        }
        if submitLabel.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.add("submitLabel must not be empty")
        }
        if let intro, compiledIntro?.source != intro {
            problems.add("intro: \(Self.introProblem(intro))")
        }
        // Fields left out as unreadable are reported already; "no fields" would mislead then.
        // Each step of a multi-step form says it of itself.
        if fields.isEmpty, !isMultiStep, reportingNoFields {
            problems.add("fields: a form needs at least one field")
        }
    }

    private func checkDuplicateFieldNames(into problems: inout ProblemCollector) {
        var seen: Set<String> = []
        for field in fields where !seen.insert(field.name).inserted {
            problems.add("duplicate field name: another field is already named \"\(field.name)\"", field: field.name)
        }
    }

    /// Variable ids must be unique across fields, fixed variables and `submittedAt`: Alvaria
    /// would keep only one value per id, silently.
    private func checkVariables(into problems: inout ProblemCollector) {
        var owners: [String: String] = [:]
        func claim(_ id: String, by owner: String, field: String?, prefix: String) {
            if !Self.isFitForVariable(id) {
                problems.add("\(prefix)variable \"\(id)\" is unfit for Alvaria (it must not be empty or contain spaces)", field: field)
            } else if let previous = owners[id] {
                problems.add("\(prefix)variable \"\(id)\" is already used by \(previous)", field: field)
            } else {
                owners[id] = owner
            }
        }
        for field in fields {
            claim(field.variable, by: "field \"\(field.name)\"", field: field.name, prefix: "")
        }
        for variable in fixedVariables {
            claim(variable.id, by: "outcome.variables", field: nil, prefix: "outcome.variables: ")
        }
        if let submittedAtVariable {
            claim(submittedAtVariable, by: "outcome.submittedAt", field: nil, prefix: "outcome.submittedAt: ")
        }
    }

    private func checkDecline(into problems: inout ProblemCollector) {
        guard let decline else { return }
        if decline.label.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.add("decline.label must not be empty")
        }
        if decline.variables.isEmpty {
            problems.add("decline.variables: a decline needs at least one variable, so the CX script can tell it from a submission")
        }
        var seen: Set<String> = []
        for variable in decline.variables {
            if !Self.isFitForVariable(variable.id) {
                problems.add("decline.variables: variable \"\(variable.id)\" is unfit for Alvaria (it must not be empty or contain spaces)")
            } else if !seen.insert(variable.id).inserted {
                problems.add("decline.variables: variable \"\(variable.id)\" appears twice")
            } else if variable.id == submittedAtVariable {
                problems.add("decline.variables: variable \"\(variable.id)\" is already used by outcome.submittedAt")
            }
        }
    }

    private func checkTranslations(droppedFields: Set<String>, into problems: inout ProblemCollector) {
        for code in translations.keys.sorted() {
            guard let translation = translations[code] else { continue }
            let prefix = "translations.\(code)"
            if !Self.isLanguageCode(code) {
                problems.add("\(prefix): \"\(code)\" is not a language code like es or es-MX")
            }
            if let intro = translation.intro, translation.compiledIntro?.source != intro {
                problems.add("\(prefix).intro: \(Self.introProblem(intro))")
            }
            let plainTexts = [("title", translation.title), ("submitLabel", translation.submitLabel), ("declineLabel", translation.declineLabel)]
            for (key, text) in plainTexts where text.map(Self.isBlank) == true {
                problems.add("\(prefix).\(key) must not be empty")
            }
            if translation.declineLabel != nil, decline == nil {
                problems.add("\(prefix).declineLabel: the form has no decline button")
            }
            checkVerifyTranslation(translation, prefix: prefix, into: &problems)
            checkStepTranslations(translation, prefix: prefix, into: &problems)
            for name in translation.fields.keys.sorted() {
                guard let texts = translation.fields[name] else { continue }
                guard let field = field(named: name) else {
                    if !droppedFields.contains(name) {
                        problems.add("\(prefix).fields: unknown field \"\(name)\"")
                    }
                    continue
                }
                if texts.label.map(Self.isBlank) == true || texts.options.values.contains(where: Self.isBlank) {
                    problems.add("\(prefix): labels must not be empty", field: name)
                }
                if texts.placeholder != nil, !field.type.acceptsPlaceholder {
                    problems.add("\(prefix): placeholder does not apply to type \(field.type.rawValue)", field: name)
                }
                if texts.help != nil, !field.type.isVisible {
                    problems.add("\(prefix): help does not apply to type \(field.type.rawValue)", field: name)
                }
                for value in texts.options.keys.sorted() where !field.options.contains(where: { $0.value == value }) {
                    problems.add("\(prefix): unknown option \"\(value)\"", field: name)
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
            guard let controller = fields[..<index].first(where: { $0.name == condition.field }) else {
                let reason: String
                if let laterStep = step(holding: condition.field), !laterStep.fieldRange.contains(index) {
                    reason = "showIf: field \"\(condition.field)\" is on a later step (\"\(laterStep.id)\")"
                } else if fields.contains(where: { $0.name == condition.field }) {
                    reason = "showIf: field \"\(condition.field)\" must come before this one"
                } else {
                    reason = "showIf: there is no field \"\(condition.field)\""
                }
                problems.add(reason, field: field.name)
                continue
            }
            if controller.type == .file {
                problems.add("showIf: field \"\(controller.name)\" takes files, which no condition can test", field: field.name)
                continue
            }
            let possible: [String]? =
                switch controller.type {
                case .checkbox: ["true", "false"]
                case .select, .radio, .checkboxes: controller.options.map(\.value)
                default: nil
                }
            for value in condition.values where possible.map({ !$0.contains(value) }) ?? false {
                problems.add("showIf: \"\(value)\" is not a value field \"\(controller.name)\" can have", field: field.name)
            }
        }
    }

    private func checkPresentation(into problems: inout ProblemCollector) {
        if !Self.isLanguageCode(language) {
            problems.add("language: \"\(language)\" is not a language code like en or es-MX")
        }
        guard let branding else { return }
        for problem in branding.contrastProblems {
            problems.add("branding.\(problem.setting): \(problem.message)")
        }
        for (key, path) in [("logo", branding.logo), ("favicon", branding.favicon)] {
            if let path, !Self.isPublicPath(path) {
                problems.add("branding.\(key): \"\(path)\" must be a relative path inside Public/, like img/logo.svg")
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

/// Collects the problems of one file.
struct ProblemCollector {
    let file: String
    private(set) var problems: [FormProblem] = []

    init(file: String) {
        self.file = file
    }

    mutating func add(_ reason: String, field: String? = nil) {
        problems.append(FormProblem(file: file, field: field, reason: reason))
    }
}
