internal import Yams

extension FormFileReader {
    static let stepKeys = ["id", "title", "intro", "fields"]
    static let stepTranslationKeys = ["title", "intro"]

    /// The form's fields, from `fields:` or, for a multi-step form, from every step of `steps:`
    /// one after the other. Step ids, titles and field counts are checked with the definition
    /// (``FormDefinition/definitionProblems(droppedFields:droppedAnyField:incompleteSteps:)``),
    /// so forms built in code get the same messages.
    mutating func readFieldsOrSteps(fields fieldsNode: Node?, steps stepsNode: Node?) -> (fields: [FieldDefinition], steps: [FormStep]) {
        guard let stepsNode else {
            let (fields, places, complete) = readFields(fieldsNode, path: "fields", at: ["fields"])
            droppedAnyField = !complete
            fieldPlaces = places
            return (fields, [])
        }
        if let fieldsNode {
            reader.add("fields and steps cannot both be given: a form with steps lists its fields under each step", at: fieldsNode)
            // Still read, for their own problems; their names are known, so translations of
            // them are not reported as unknown fields on top.
            droppedFields.formUnion(readFields(fieldsNode, path: "fields", at: ["fields"]).fields.map(\.name))
        }
        return readSteps(stepsNode)
    }

    private mutating func readSteps(_ node: Node) -> (fields: [FieldDefinition], steps: [FormStep]) {
        guard let items = reader.sequence(node, "steps"), !items.isEmpty else {
            if node.null != nil || node.sequence?.isEmpty == true {
                reader.add("steps: a form needs at least one step", at: node)
            }
            reportedMissingFields = true
            return ([], [])
        }
        var fields: [FieldDefinition] = []
        var steps: [FormStep] = []
        for (index, item) in items.enumerated() {
            guard case .mapping(let mapping) = item else {
                reader.add("steps: step \(index + 1) must be a mapping of id, title and fields", at: item)
                reportedMissingFields = true
                continue
            }
            let number = index + 1
            let id = mapping["id"].flatMap { reader.text($0, "\(FormStep.path(id: "", number: number)).id") } ?? ""
            let path = FormStep.path(id: id, number: number)
            let keys = reader.keyed(mapping, allowed: Self.stepKeys, path: path)
            let place = ["steps", String(index)]
            let (stepFields, places, complete) = readFields(keys["fields"], path: "\(path).fields", at: place + ["fields"])
            // `fields:` of the wrong kind is reported already; "needs a field" would repeat it.
            if !complete || keys["fields"].map({ $0.null == nil && $0.sequence == nil }) == true {
                incompleteSteps.insert(steps.count)
            }
            let start = fields.count
            fields += stepFields
            fieldPlaces += places
            stepPlaces.append(place)
            steps.append(
                FormStep(
                    id: id,
                    title: reader.text(keys["title"], "\(path).title") ?? "",
                    intro: reader.text(keys["intro"], "\(path).intro"),
                    fieldRange: start..<fields.count
                )
            )
        }
        return (fields, steps)
    }

    /// `translations.<lang>.steps`: `{incident: {title: …, intro: …}}`.
    mutating func readStepTranslations(_ node: Node?, path: String) -> [String: StepTranslation] {
        guard let mapping = reader.mapping(node, path) else { return [:] }
        var translations: [String: StepTranslation] = [:]
        for (idNode, textsNode) in mapping {
            guard let id = idNode.scalar?.string else {
                reader.add("\(path): step ids must be text", atKey: idNode)
                continue
            }
            let stepPath = "\(path).\(id)"
            guard let texts = reader.mapping(textsNode, stepPath) else { continue }
            let keys = reader.keyed(texts, allowed: Self.stepTranslationKeys, path: stepPath)
            translations[id] = StepTranslation(
                title: reader.text(keys["title"], "\(stepPath).title"),
                intro: reader.text(keys["intro"], "\(stepPath).intro")
            )
        }
        return translations
    }
}
