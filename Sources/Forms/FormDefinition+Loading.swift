internal import AlvariaModels
internal import Foundation
internal import Yams

extension FormDefinition {
    /// Reads one form file's text. Every problem of the file is reported together: YAML that
    /// does not parse, unknown keys, values of the wrong kind, and everything
    /// ``FormCatalog/init(forms:)`` checks of a single form.
    ///
    /// - Parameter file: how to name the file in problems (and ``sourceFile``).
    public static func parse(yaml: String, file: String) throws(FormLoadError) -> FormDefinition {
        let (form, problems, _) = FormFileReader.read(yaml: yaml, file: file)
        guard let form, problems.isEmpty else { throw FormLoadError(problems: problems) }
        return form
    }
}

/// Turns one YAML form file into a ``FormDefinition`` — as much of it as can be read, so the
/// catalog can still check ids across files — and the problems found.
struct FormFileReader {
    static let formKeys = [
        "id", "title", "intro", "default", "submitLabel", "fields", "outcome", "decline", "translations",
        "language", "branding", "verify", "expiresAfter", "steps", "example",
    ]
    static let fieldKeys = [
        "name", "label", "type", "required", "minLength", "maxLength", "pattern", "min", "max", "step",
        "options", "prefill", "value", "variable", "help", "placeholder", "autocomplete", "sensitive", "showIf",
        "accept", "maxSize", "maxFiles", "capture",
    ]
    /// The keys only a `file` field has.
    static let fileFieldKeys = ["accept", "maxSize", "maxFiles", "capture"]
    static let optionKeys = ["value", "label"]
    static let outcomeKeys = ["variables", "submittedAt", "includeHidden"]
    static let showIfKeys = ["field", "equals", "in"]
    static let brandingKeys = ["displayName", "logo", "favicon", "primaryColor", "accentColor"]
    static let declineKeys = ["label", "variables"]
    static let translationKeys = ["title", "intro", "submitLabel", "declineLabel", "fields", "steps", "verify"]
    static let fieldTranslationKeys = ["label", "help", "placeholder", "options"]

    var reader: YAMLNodeReader
    private let file: String
    /// Fields present in the file but left out of the form because they could not be read.
    var droppedFields: Set<String> = []
    var droppedAnyField = false
    /// A missing `fields:` reported already, in the terms of `steps:`.
    var reportedMissingFields = false
    /// Positions of steps that lost fields while reading, so "no fields" is not said of them.
    var incompleteSteps: Set<Int> = []
    /// Where the form's fields, steps and questions are written, in the order the form keeps them.
    var fieldPlaces: [[String]] = []
    var stepPlaces: [[String]] = []
    var questionPlaces: [[String]] = []

    private init(file: String) {
        self.file = file
        reader = YAMLNodeReader(file: file)
    }

    /// - Returns: the form as far as it could be read, its problems, and where things are
    ///   written in it (`nil` when the YAML does not parse).
    static func read(yaml: String, file: String) -> (form: FormDefinition?, problems: [FormProblem], source: FormSource?) {
        var fileReader = FormFileReader(file: file)
        let form = fileReader.readForm(yaml: yaml)
        var problems = fileReader.reader.problems.problems
        var source = fileReader.reader.problems.source
        source?.fieldPlaces = fileReader.fieldPlaces
        source?.stepPlaces = fileReader.stepPlaces
        source?.questionPlaces = fileReader.questionPlaces
        if let form {
            problems += form.definitionProblems(
                droppedFields: fileReader.droppedFields,
                droppedAnyField: fileReader.droppedAnyField || fileReader.reportedMissingFields,
                incompleteSteps: fileReader.incompleteSteps,
                source: source
            )
        }
        return (form, problems, source)
    }

    private mutating func readForm(yaml: String) -> FormDefinition? {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                reader.add("the file is empty")
                return nil
            }
            root = node
        } catch {
            let (reason, mark) = Self.describe(yamlError: error)
            reader.problems.add(reason, at: mark)
            return nil
        }
        reader.problems.source = FormSource(root: root)
        guard case .mapping(let mapping) = root else {
            reader.add("the file must be a mapping of id, title, fields and so on", at: root)
            return nil
        }
        let keys = reader.keyed(mapping, allowed: Self.formKeys, path: "")
        // Read in this order, so problems come in the order of the keys a file usually has.
        let id = reader.text(keys["id"], "id") ?? ""
        let title = reader.text(keys["title"], "title") ?? ""
        let intro = reader.text(keys["intro"], "intro")
        let isDefault = reader.boolean(keys["default"], "default") ?? false
        let submitLabel = reader.text(keys["submitLabel"], "submitLabel") ?? "Send"
        let (fields, steps) = readFieldsOrSteps(fields: keys["fields"], steps: keys["steps"])
        var form = FormDefinition(
            id: id,
            title: title,
            intro: intro,
            isDefault: isDefault,
            submitLabel: submitLabel,
            fields: fields,
            steps: steps,
            language: reader.text(keys["language"], "language") ?? "en",
            sourceFile: file
        )
        if let outcome = reader.mapping(keys["outcome"], "outcome") {
            let outcomeKeys = reader.keyed(outcome, allowed: Self.outcomeKeys, path: "outcome")
            form.fixedVariables = readVariables(outcomeKeys["variables"], path: "outcome.variables")
            form.submittedAtVariable = reader.text(outcomeKeys["submittedAt"], "outcome.submittedAt")
            form.includeHiddenFields = reader.boolean(outcomeKeys["includeHidden"], "outcome.includeHidden") ?? false
        }
        if let branding = reader.mapping(keys["branding"], "branding") {
            form.branding = readBranding(branding)
        }
        if let node = keys["decline"] {
            if let decline = reader.mapping(node, "decline") {
                let declineKeys = reader.keyed(decline, allowed: Self.declineKeys, path: "decline")
                form.decline = Decline(
                    label: reader.text(declineKeys["label"], "decline.label") ?? "No thanks",
                    variables: readVariables(declineKeys["variables"], path: "decline.variables")
                )
            }
        }
        form.translations = readTranslations(keys["translations"])
        form.verification = readVerification(keys["verify"])
        form.example = readExample(keys["example"])
        form.expiresAfter = readDuration(keys["expiresAfter"], "expiresAfter")
        return form
    }

    // MARK: Fields

    /// A `fields:` list, the form's or a step's (`path`: `fields`, `steps.incident.fields`).
    ///
    /// - Parameter at: where the list is in the file (`["steps", "0", "fields"]`).
    /// - Returns: the fields that could be read, where each is written, and whether that is all of them.
    mutating func readFields(_ node: Node?, path: String, at place: [String]) -> (fields: [FieldDefinition], places: [[String]], complete: Bool) {
        guard let items = reader.sequence(node, path) else { return ([], [], true) }
        // A step's fields are numbered within the step; a form's as they always were.
        let prefix = path == "fields" ? "" : "\(path): "
        var fields: [FieldDefinition] = []
        var places: [[String]] = []
        for (index, item) in items.enumerated() {
            if let field = readField(item, number: index + 1, place: prefix) {
                fields.append(field)
                places.append(place + [String(index)])
            }
        }
        return (fields, places, fields.count == items.count)
    }

    private mutating func readField(_ node: Node, number: Int, place: String) -> FieldDefinition? {
        guard case .mapping(let mapping) = node else {
            reader.add("\(place)field \(number) must be a mapping of name, type and so on", at: node)
            return nil
        }
        let name = mapping["name"].flatMap { reader.text($0, "name") }
        let keys = reader.keyed(mapping, allowed: Self.fieldKeys, path: "", field: name)
        guard let name else {
            reader.add("\(place)field \(number) has no name", at: node)
            return nil
        }
        func text(_ key: String) -> String? { reader.text(keys[key], key, field: name) }
        func integer(_ key: String) -> Int? { reader.integer(keys[key], key, field: name) }

        var type: FieldType? = .text
        if let typeName = text("type") {
            type = FieldType(rawValue: typeName)
            if type == nil {
                let meant = Suggestion.closest(to: typeName, in: FieldType.allCases.map(\.rawValue))
                // A close guess says enough; without one, every type is listed.
                let reason = "unknown type \"\(typeName)\"" + (meant == nil ? " (expected one of \(FieldType.spellings))" : "")
                reader.add(reason, field: name, suggestion: meant, at: keys["type"])
            }
        }
        var file = FileSettings()
        if type == .file {
            file = readFileSettings(keys, field: name)
        } else if let type {
            for key in Self.fileFieldKeys {
                if let node = keys[key] { reader.add("\(key) does not apply to type \(type.rawValue)", field: name, at: node) }
            }
        }
        let field = FieldDefinition(
            name: name,
            label: text("label"),
            type: type ?? .text,
            required: reader.boolean(keys["required"], "required", field: name) ?? false,
            minLength: integer("minLength"),
            maxLength: integer("maxLength"),
            pattern: text("pattern"),
            min: text("min"),
            max: text("max"),
            step: text("step"),
            options: readOptions(keys["options"], field: name),
            prefill: text("prefill"),
            value: text("value"),
            variable: text("variable"),
            help: text("help"),
            placeholder: text("placeholder"),
            autocomplete: text("autocomplete"),
            sensitive: reader.boolean(keys["sensitive"], "sensitive", field: name) ?? false,
            showIf: readCondition(keys["showIf"], field: name),
            accept: file.accept,
            maxSize: file.maxSize,
            maxFiles: file.maxFiles,
            capture: file.capture
        )
        // A field of unknown type is read to the end (its other problems count too), then left
        // out: checking it as some other type would only add misleading problems.
        guard type != nil else {
            droppedFields.insert(name)
            return nil
        }
        return field
    }

    /// What a `file` field's own keys say; defaults for what they leave out (or cannot say).
    private struct FileSettings {
        var accept: [FileKind]?
        var maxSize = FieldDefinition.defaultMaxFileSize
        var maxFiles = 1
        var capture: String?
    }

    /// `accept`, `maxSize`, `maxFiles` and `capture`; the checks of their values are
    /// ``FieldDefinition``'s, so fields built in code get them too.
    private mutating func readFileSettings(_ keys: [String: Node], field: String) -> FileSettings {
        var settings = FileSettings()
        if let node = keys["accept"] {
            // `accept:` with nothing is an empty list (refused), not the default.
            settings.accept = node.null != nil ? [] : readAccept(node, field: field)
        }
        if let text = reader.text(keys["maxSize"], "maxSize", field: field) {
            if let size = ByteSize.parse(text) {
                settings.maxSize = size
            } else {
                reader.add("maxSize \"\(text)\" is not a size like 10MB or 500KB", field: field, at: keys["maxSize"])
            }
        }
        settings.maxFiles = reader.integer(keys["maxFiles"], "maxFiles", field: field) ?? 1
        settings.capture = reader.text(keys["capture"], "capture", field: field)
        return settings
    }

    /// `[image/jpeg, application/pdf]`: media types, case aside.
    private mutating func readAccept(_ node: Node, field: String) -> [FileKind]? {
        guard let items = reader.sequence(node, "accept", field: field) else { return nil }
        var kinds: [FileKind] = []
        for (index, item) in items.enumerated() {
            guard let text = reader.text(item, "accept item \(index + 1)", field: field) else {
                if item.null != nil { reader.add("accept item \(index + 1) is empty", field: field, at: item) }
                continue
            }
            let written = text.trimmingCharacters(in: .whitespaces).lowercased()
            if let kind = FileKind(rawValue: written) {
                kinds.append(kind)
                continue
            }
            // `jpg`, `pdf`, `image/jpg`: what a person means is easy to tell.
            let meant =
                FileKind.allCases.first { $0.fileExtension == written || "\($0)" == written }?.mediaType
                ?? Suggestion.closest(to: written, in: FileKind.allCases.map(\.mediaType))
            let reason = "accept: unknown media type \"\(text)\"" + (meant == nil ? " (expected one of \(FileKind.spellings))" : "")
            reader.add(reason, field: field, suggestion: meant, at: item)
        }
        // Items that could not be read are reported already: "empty" would only repeat them.
        return kinds.isEmpty && !items.isEmpty ? nil : kinds
    }

    /// `[a, b]` (value = label) or `[{value: a, label: A}]`, freely mixed.
    private mutating func readOptions(_ node: Node?, field: String) -> [FieldOption] {
        guard let items = reader.sequence(node, "options", field: field) else { return [] }
        var options: [FieldOption] = []
        for (index, item) in items.enumerated() {
            if case .mapping(let mapping) = item {
                let keys = reader.keyed(mapping, allowed: Self.optionKeys, path: "options", field: field)
                guard let value = reader.text(keys["value"], "option value", field: field) else {
                    reader.add("option \(index + 1) has no value", field: field, at: item)
                    continue
                }
                options.append(FieldOption(value: value, label: reader.text(keys["label"], "option label", field: field)))
            } else if let value = reader.text(item, "option \(index + 1)", field: field) {
                options.append(FieldOption(value: value))
            } else if item.null != nil {
                reader.add("option \(index + 1) is empty", field: field, at: item)
            }
        }
        return options
    }

    /// `{field: contact, equals: email}` or `{field: contact, in: [sms, phone]}`.
    private mutating func readCondition(_ node: Node?, field: String) -> FieldCondition? {
        guard let mapping = reader.mapping(node, "showIf", field: field) else { return nil }
        let keys = reader.keyed(mapping, allowed: Self.showIfKeys, path: "showIf", field: field)
        guard let controller = reader.text(keys["field"], "showIf.field", field: field) else {
            reader.add("showIf needs the field it depends on (showIf: {field: name, equals: value})", field: field, at: node)
            return nil
        }
        switch (keys["equals"], keys["in"]) {
        case (let equals?, nil):
            guard let value = reader.text(equals, "showIf.equals", field: field) else { return nil }
            return FieldCondition(field: controller, values: [value])
        case (nil, let list?):
            guard let items = reader.sequence(list, "showIf.in", field: field) else { return nil }
            let values = items.compactMap { reader.text($0, "showIf.in", field: field) }
            guard !values.isEmpty else {
                reader.add("showIf.in must list at least one value", field: field, at: list)
                return nil
            }
            return FieldCondition(field: controller, values: values)
        default:
            reader.add("showIf needs exactly one of equals: value or in: [values]", field: field, at: node)
            return nil
        }
    }

    // MARK: Branding

    private mutating func readBranding(_ mapping: Node.Mapping) -> Branding {
        let keys = reader.keyed(mapping, allowed: Self.brandingKeys, path: "branding")
        func color(_ key: String) -> BrandColor? {
            guard let text = reader.text(keys[key], "branding.\(key)") else { return nil }
            guard let color = BrandColor(hex: text) else {
                reader.add("branding.\(key): \"\(text)\" is not a colour like #0b5cad", at: keys[key])
                return nil
            }
            return color
        }
        return Branding(
            displayName: reader.text(keys["displayName"], "branding.displayName"),
            logo: reader.text(keys["logo"], "branding.logo"),
            favicon: reader.text(keys["favicon"], "branding.favicon"),
            primaryColor: color("primaryColor"),
            accentColor: color("accentColor")
        )
    }

    // MARK: Outcome

    /// `{id: value}` in file order; values must be single values (text, number, true/false).
    mutating func readVariables(_ node: Node?, path: String) -> [OutcomeVariable] {
        guard let mapping = reader.mapping(node, path) else { return [] }
        var variables: [OutcomeVariable] = []
        for (keyNode, valueNode) in mapping {
            guard let id = keyNode.scalar?.string else {
                reader.add("\(path): variable ids must be text", atKey: keyNode)
                continue
            }
            guard case .scalar(let scalar) = valueNode else {
                reader.add("\(path): \"\(id)\" must be a single value (text, number or true/false), not a list or mapping", at: valueNode)
                continue
            }
            guard valueNode.null == nil else {
                reader.add("\(path): \"\(id)\" has no value (write \"\" for an empty one)", at: valueNode)
                continue
            }
            variables.append(OutcomeVariable(id: id, value: scalar.string))
        }
        return variables
    }

    // MARK: Translations

    private mutating func readTranslations(_ node: Node?) -> [String: FormTranslation] {
        guard let mapping = reader.mapping(node, "translations") else { return [:] }
        var translations: [String: FormTranslation] = [:]
        for (codeNode, valueNode) in mapping {
            guard let code = codeNode.scalar?.string else {
                reader.add("translations: language codes must be text", atKey: codeNode)
                continue
            }
            let path = "translations.\(code)"
            guard let texts = reader.mapping(valueNode, path) else { continue }
            let keys = reader.keyed(texts, allowed: Self.translationKeys, path: path)
            var fields: [String: FieldTranslation] = [:]
            if let fieldsMapping = reader.mapping(keys["fields"], "\(path).fields") {
                for (nameNode, fieldNode) in fieldsMapping {
                    guard let name = nameNode.scalar?.string else {
                        reader.add("\(path).fields: field names must be text", atKey: nameNode)
                        continue
                    }
                    fields[name] = readFieldTranslation(fieldNode, path: "\(path).fields.\(name)")
                }
            }
            let steps = readStepTranslations(keys["steps"], path: "\(path).steps")
            let verify = readVerifyTranslation(keys["verify"], path: "\(path).verify")
            translations[code] = FormTranslation(
                title: reader.text(keys["title"], "\(path).title"),
                intro: reader.text(keys["intro"], "\(path).intro"),
                submitLabel: reader.text(keys["submitLabel"], "\(path).submitLabel"),
                declineLabel: reader.text(keys["declineLabel"], "\(path).declineLabel"),
                fields: fields,
                steps: steps,
                verifyHelp: verify.help,
                verifyQuestionLabels: verify.labels
            )
        }
        return translations
    }

    private mutating func readFieldTranslation(_ node: Node, path: String) -> FieldTranslation {
        guard let mapping = reader.mapping(node, path) else { return FieldTranslation() }
        let keys = reader.keyed(mapping, allowed: Self.fieldTranslationKeys, path: path)
        var options: [String: String] = [:]
        if let optionsMapping = reader.mapping(keys["options"], "\(path).options") {
            for (valueNode, labelNode) in optionsMapping {
                guard let value = valueNode.scalar?.string,
                    let label = reader.text(labelNode, "\(path).options.\(valueNode.scalar?.string ?? "?")")
                else { continue }
                options[value] = label
            }
        }
        return FieldTranslation(
            label: reader.text(keys["label"], "\(path).label"),
            help: reader.text(keys["help"], "\(path).help"),
            placeholder: reader.text(keys["placeholder"], "\(path).placeholder"),
            options: options
        )
    }

    // MARK: YAML errors

    /// Yams' own descriptions quote the whole file; a problem line wants the gist, and the place
    /// goes with the problem.
    static func describe(yamlError error: any Error) -> (reason: String, mark: Mark?) {
        switch error as? YamlError {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let during = context.map { " \($0.text)" } ?? ""
            return ("YAML does not parse: \(problem)\(during)", mark)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return ("YAML has the same key twice in one mapping: \(keys)", context.mark)
        case .reader(let problem, _, _, _):
            return ("YAML does not parse: \(problem)", nil)
        default:
            return ("YAML does not parse: \(error)", nil)
        }
    }
}
