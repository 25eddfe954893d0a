internal import Foundation

extension FieldDefinition {
    /// The normalised values of this field and its first problem, if any (one message per
    /// field is what a person can act on). See ``FormDefinition/validate(_:)`` for the rules.
    func validate(_ posted: [String]) -> (values: [String], problem: FieldProblem?) {
        switch type {
        case .hidden where value != nil:
            return ([value ?? ""], nil)
        case .checkbox:
            var checked = false
            for raw in posted {
                guard let state = Self.checkboxState(raw) else { return (posted, .notAnOption) }
                checked = checked || state
            }
            let normalized = [checked ? "true" : "false"]
            return (normalized, required && !checked ? .required : nil)
        case .checkboxes:
            let chosen = posted.map(Self.trimmed).filter { !$0.isEmpty }
            let offered = options.map(\.value)
            guard chosen.allSatisfy(offered.contains) else { return (chosen, .notAnOption) }
            let ordered = offered.filter(chosen.contains)
            return (ordered, required && ordered.isEmpty ? .required : nil)
        case .file:
            // The ids of the files the web layer accepted and stored, as it gave them: each
            // upload was inspected (FileInspection) and measured against accept and maxSize already.
            let files = posted.filter { !$0.isEmpty }
            if files.isEmpty { return ([], required ? .required : nil) }
            return (files, files.count > maxFiles ? .tooManyFiles(maximum: maxFiles) : nil)
        case .select, .radio:
            let chosen = posted.map(Self.trimmed)
            guard chosen.count <= 1 else { return (chosen, .notAnOption) }
            let value = chosen.first ?? ""
            if value.isEmpty { return ([""], required ? .required : nil) }
            return ([value], options.contains { $0.value == value } ? nil : .notAnOption)
        default:
            let value = normalizedText(posted.first ?? "")
            if value.isEmpty { return ([""], required ? .required : nil) }
            return ([value], problem(with: value))
        }
    }

    /// Trimmed for single-line types; for a textarea, line breaks as `\n` and blank as empty.
    private func normalizedText(_ raw: String) -> String {
        guard type == .textarea else { return Self.trimmed(raw) }
        if Self.trimmed(raw).isEmpty { return "" }
        return raw.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// The rules of a non-empty text-like value: characters, lengths, then shape, pattern and range.
    func problem(with value: String) -> FieldProblem? {
        if type.acceptsLength {
            if value.unicodeScalars.contains(where: { !Self.isAllowed($0, multiline: type == .textarea) }) {
                return .invalidCharacters
            }
            let length = value.count
            if let minLength, length < minLength { return .tooShort(minimum: minLength) }
            if let maximum = effectiveMaxLength {
                // Characters, as a person counts them; and scalars too, or "AB" followed by
                // thousands of combining marks would pass as two characters.
                if length > maximum || value.unicodeScalars.count > maximum * Self.scalarsPerCharacter {
                    return .tooLong(maximum: maximum)
                }
            }
        }
        switch type {
        case .email where !ValueRules.isEmail(value): return .invalidEmail
        case .url where !ValueRules.isWebURL(value): return .invalidURL
        case .tel where !ValueRules.isTelephone(value): return .invalidTelephone
        case .number, .date, .time:
            return rangeProblem(with: value)
        default:
            break
        }
        if type.acceptsPattern, pattern != nil, !ValueRules.matchesWhole(value, compiledPattern) {
            return .patternMismatch
        }
        return nil
    }

    private func rangeProblem(with text: String) -> FieldProblem? {
        guard let value = ValueRules.Ordered(text, type: type) else {
            switch type {
            case .date: return .invalidDate
            case .time: return .invalidTime
            default: return .invalidNumber
            }
        }
        if let min, let minimum = ValueRules.Ordered(min, type: type), value < minimum {
            return .belowMinimum(min)
        }
        if let max, let maximum = ValueRules.Ordered(max, type: type), value > maximum {
            return .aboveMaximum(max)
        }
        if type == .number, let step, let stepValue = ValueRules.decimal(step),
            case .number(let number) = value
        {
            let base = min.flatMap(ValueRules.decimal) ?? 0
            if !ValueRules.isWholeMultiple(number, of: stepValue, from: base) {
                return .stepMismatch(step)
            }
        }
        return nil
    }

    /// `true` for a ticked box, `false` for an unticked one, `nil` for anything a checkbox
    /// does not send.
    static func checkboxState(_ raw: String) -> Bool? {
        switch trimmed(raw).lowercased() {
        case "true", "on", "1", "yes": true
        case "", "false", "off", "0", "no": false
        default: nil
        }
    }

    /// How many Unicode scalars a character may take on average before a value counts as too long:
    /// generous for accents, Indic conjuncts and emoji sequences, not for a pile of combining marks.
    static let scalarsPerCharacter = 4

    /// No C0 control characters (tab and line feed only in a textarea), no DEL, and no bidirectional
    /// embeddings, overrides or isolates (U+202A–U+202E, U+2066–U+2069).
    static func isAllowed(_ scalar: Unicode.Scalar, multiline: Bool) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: multiline
        case 0x00...0x1F, 0x7F: false
        case 0x202A...0x202E, 0x2066...0x2069: false
        default: true
        }
    }

    static func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
