internal import Yams

extension FormFileReader {
    /// `example:`: the context a CX script might send, written as YAML, for previews. Values are
    /// kept as the text they are written as (`007` stays `"007"`, as a CX script's JSON string
    /// would), except `true`/`false` (JSON booleans) and empty values (JSON null).
    mutating func readExample(_ node: Node?) -> FormContext? {
        guard let mapping = reader.mapping(node, "example") else { return nil }
        var object: [String: JSONValue] = [:]
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.scalar?.string else {
                reader.add("example: keys must be text", atKey: keyNode)
                continue
            }
            object[key] = exampleValue(valueNode, path: "example.\(key)")
        }
        return FormContext(object: object)
    }

    private mutating func exampleValue(_ node: Node, path: String) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if node.null != nil { return .null }
            if scalar.style == .plain, scalar.string == "true" || scalar.string == "false" { return .bool(scalar.string == "true") }
            return .string(scalar.string)
        case .sequence(let sequence):
            return .array(sequence.enumerated().map { item in exampleValue(item.element, path: "\(path).\(item.offset)") })
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (keyNode, valueNode) in mapping {
                guard let key = keyNode.scalar?.string else {
                    reader.add("\(path): keys must be text", atKey: keyNode)
                    continue
                }
                object[key] = exampleValue(valueNode, path: "\(path).\(key)")
            }
            return .object(object)
        case .alias:
            reader.add("\(path): aliases are not supported in an example; write the value out", at: node)
            return .null
        }
    }
}

extension FormContext {
    /// A context that is this JSON object, as ``init(content:)`` would read it from its text.
    init(object: [String: JSONValue]) {
        root = object.mapValues(\.withoutNUL)
        isJSONObject = true
    }
}
