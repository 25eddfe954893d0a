internal import Foundation

extension FieldDefinition {
    /// The problems of one field's definition; see ``FormDefinition/definitionProblems(droppedFields:)``.
    ///
    /// - Parameter place: where the field is written (see ``FormSource``); each problem is placed
    ///   at the key it concerns.
    func check(into problems: inout ProblemCollector, at place: [String]) {
        func add(_ reason: String, _ key: String, _ suggestion: String? = nil) {
            problems.add(reason, field: name, suggestion: suggestion, place: place + [key])
        }

        if !Self.isFitName(name) {
            add("the name is unfit for a form field (use a letter, then up to 63 letters, digits, _ or -)", "name")
        }
        if label.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            add("label must not be empty", "label")
        }
        for key in inapplicableKeys {
            add("\(key) does not apply to type \(type.rawValue)", key)
        }
        checkLengths(add)
        checkPattern(add)
        checkRange(add)
        checkOptions(add)
        checkSources(add)
        checkFile(add)
    }

    /// Keys set on this field that its type does not use: refused rather than ignored, since a
    /// constraint that silently does nothing is a promise the form does not keep.
    private var inapplicableKeys: [String] {
        var keys: [String] = []
        if minLength != nil, !type.acceptsLength { keys.append("minLength") }
        if maxLength != nil, !type.acceptsLength { keys.append("maxLength") }
        if pattern != nil, !type.acceptsPattern { keys.append("pattern") }
        if min != nil, !type.acceptsRange { keys.append("min") }
        if max != nil, !type.acceptsRange { keys.append("max") }
        if step != nil, !type.acceptsStep { keys.append("step") }
        if !options.isEmpty, !type.acceptsOptions { keys.append("options") }
        if placeholder != nil, !type.acceptsPlaceholder { keys.append("placeholder") }
        if autocomplete != nil, !type.acceptsAutocomplete { keys.append("autocomplete") }
        if required, !type.isVisible { keys.append("required") }
        if help != nil, !type.isVisible { keys.append("help") }
        if prefill != nil, !type.acceptsInitialValue { keys.append("prefill") }
        if value != nil, !type.acceptsInitialValue { keys.append("value") }
        // A form file's reader reports these keys on other types as written; a field built in
        // code shows them by a value other than the default.
        if type != .file {
            if !accept.isEmpty { keys.append("accept") }
            if maxSize != Self.defaultMaxFileSize { keys.append("maxSize") }
            if maxFiles != 1 { keys.append("maxFiles") }
            if capture != nil { keys.append("capture") }
        }
        return keys
    }

    private func checkLengths(_ add: (String, String, String?) -> Void) {
        guard type.acceptsLength else { return }
        if let minLength, minLength < 0 { add("minLength must be 0 or more", "minLength", nil) }
        if let maxLength, maxLength < 1 { add("maxLength must be at least 1", "maxLength", nil) }
        if let minLength, let maximum = effectiveMaxLength, maximum >= 1, minLength > maximum {
            let which = maxLength == nil ? "the default maxLength" : "maxLength"
            add("minLength \(minLength) is more than \(which) \(maximum)", "minLength", nil)
        }
    }

    private func checkPattern(_ add: (String, String, String?) -> Void) {
        guard type.acceptsPattern, let pattern else { return }
        // Compiled alone too: `a)(b` compiles once wrapped in `^(?:…)$`, but is no regex.
        guard (try? NSRegularExpression(pattern: pattern)) != nil, compiledPattern != nil else {
            add("pattern \"\(pattern)\" is not a valid regular expression", "pattern", nil)
            return
        }
        if let shape = ValueRules.catastrophicShape(of: pattern) {
            add("pattern \"\(pattern)\" is refused: \(shape); write it without nesting, e.g. a+ rather than (a+)+", "pattern", nil)
        }
    }

    private func checkRange(_ add: (String, String, String?) -> Void) {
        guard type.acceptsRange else { return }
        let shape =
            switch type {
            case .date: "a date (YYYY-MM-DD)"
            case .time: "a time (HH:MM)"
            default: "a number (like 10 or 2.5)"
            }
        let minimum = min.flatMap { ValueRules.Ordered($0, type: type) }
        let maximum = max.flatMap { ValueRules.Ordered($0, type: type) }
        if let min, minimum == nil { add("min \"\(min)\" is not \(shape)", "min", nil) }
        if let max, maximum == nil { add("max \"\(max)\" is not \(shape)", "max", nil) }
        if let minimum, let maximum, let min, let max, minimum > maximum {
            add("min \(min) is greater than max \(max)", "min", nil)
        }
        if type.acceptsStep, let step {
            if let value = ValueRules.decimal(step) {
                if value <= 0 { add("step must be greater than 0", "step", nil) }
            } else {
                add("step \"\(step)\" is not \(shape)", "step", nil)
            }
        }
    }

    private func checkOptions(_ add: (String, String, String?) -> Void) {
        guard type.acceptsOptions else { return }
        if options.isEmpty {
            add("a \(type.rawValue) field needs options", "options", nil)
        }
        var seen: Set<String> = []
        for option in options {
            if option.value.isEmpty {
                add("option values must not be empty (an unanswered field is sent as \"\")", "options", nil)
            } else if !seen.insert(option.value).inserted {
                add("duplicate option value \"\(option.value)\"", "options", nil)
            }
            if type == .checkboxes, option.value.contains(",") {
                add("option value \"\(option.value)\" cannot contain a comma: checkboxes are sent joined with \",\"", "options", nil)
            }
            if !option.value.isEmpty, option.label.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                add("option \"\(option.value)\" has an empty label", "options", nil)
            }
        }
    }

    /// `value:` and `prefill:`: one or the other, a path that can exist, a literal that passes.
    private func checkSources(_ add: (String, String, String?) -> Void) {
        guard type.acceptsInitialValue else { return }
        if value != nil, prefill != nil {
            add("value and prefill cannot both be set (value is a literal, prefill reads the context)", "value", nil)
        }
        if let prefill {
            let parts = prefill.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count < 2 || parts[0] != "context" || parts.contains(where: \.isEmpty) {
                add("prefill \"\(prefill)\" must be a path into the context, like context.street", "prefill", nil)
            }
        }
        if let value, let problem = literalProblem(value) {
            add("value \"\(value)\" would not pass validation: \(problem.englishMessage)", "value", nil)
        }
    }

    /// `accept`, `maxSize`, `maxFiles` and `capture` of a `file` field.
    private func checkFile(_ add: (String, String, String?) -> Void) {
        guard type == .file else { return }
        if accept.isEmpty {
            add("accept must list at least one media type (\(FileKind.spellings))", "accept", nil)
        }
        var seen: Set<FileKind> = []
        for kind in accept where !seen.insert(kind).inserted {
            add("accept lists \(kind.mediaType) twice", "accept", nil)
        }
        if maxSize < 1 {
            add("maxSize must be more than 0", "maxSize", nil)
        } else if maxSize > Self.largestMaxFileSize {
            add(
                "maxSize \(ByteSize.describe(maxSize)) is more than the \(ByteSize.describe(Self.largestMaxFileSize)) a file may have",
                "maxSize",
                nil
            )
        }
        if !(1...Self.largestMaxFiles).contains(maxFiles) {
            add("maxFiles must be between 1 and \(Self.largestMaxFiles), not \(maxFiles)", "maxFiles", nil)
        }
        if let capture, !Self.captureModes.contains(capture) {
            add(
                "capture \"\(capture)\" is not environment (the back camera) or user (the front camera)",
                "capture",
                Suggestion.closest(to: capture, in: Self.captureModes)
            )
        }
    }

    /// Checks a literal as if a person had sent it (without `required`, which a literal for an
    /// optional default need not meet); a hidden field's literal gets the text rules.
    private func literalProblem(_ literal: String) -> FieldProblem? {
        var plain = self
        plain.value = nil
        plain.required = false
        let posted = type == .checkboxes ? literal.split(separator: ",").map(String.init) : [literal]
        return plain.validate(posted).problem
    }

    static func isFitName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...64).contains(bytes.count), let first = bytes.first, isLetter(first) else { return false }
        return bytes.allSatisfy { byte in
            isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
