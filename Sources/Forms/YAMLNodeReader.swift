internal import Yams

/// Reads values out of a composed YAML tree, turning every surprise into a problem of the file
/// instead of stopping: one pass tells the author everything to fix.
///
/// Works on `Yams.Node` rather than decoding into a Swift Dictionary, so mappings keep the
/// order they are written in (fixed variables are sent in file order) and values keep their
/// text as written (`min: 2026-01-01` stays that text, `NO` stays `NO`).
struct YAMLNodeReader {
    var problems: ProblemCollector

    init(file: String) {
        problems = ProblemCollector(file: file)
    }

    /// A problem at `node` (its value's position), or at no one place.
    mutating func add(_ reason: String, field: String? = nil, suggestion: String? = nil, at node: Node? = nil) {
        let mark = node.flatMap { problems.source?.mark(of: $0) ?? $0.mark }
        problems.add(reason, field: field, suggestion: suggestion, at: mark)
    }

    /// A problem with a key itself (unknown, not text): at the key, whatever its value.
    mutating func add(_ reason: String, field: String? = nil, suggestion: String? = nil, atKey key: Node) {
        problems.add(reason, field: field, suggestion: suggestion, at: key.mark)
    }

    /// The mapping's values by key, reporting keys that are not `allowed` (typo protection).
    mutating func keyed(
        _ mapping: Node.Mapping,
        allowed: [String],
        path: String,
        field: String? = nil
    ) -> [String: Node] {
        var result: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                add("\(path.prefixing)keys must be text", field: field, atKey: keyNode)
                continue
            }
            if allowed.contains(key) {
                result[key] = value
            } else {
                add(
                    "\(path.prefixing)unknown key \"\(key)\"",
                    field: field,
                    suggestion: Suggestion.closest(to: key, in: allowed),
                    atKey: keyNode
                )
            }
        }
        return result
    }

    /// The text of a scalar as written; `nil` when absent or YAML null (`~`, empty).
    mutating func text(_ node: Node?, _ key: String, field: String? = nil) -> String? {
        guard let node else { return nil }
        switch node {
        case .scalar(let scalar):
            return node.null != nil ? nil : scalar.string
        case .sequence:
            add("\(key) must be a single value, not a list", field: field, at: node)
        case .mapping:
            add("\(key) must be a single value, not a mapping", field: field, at: node)
        case .alias:
            add("\(key) must be a single value", field: field, at: node)
        }
        return nil
    }

    mutating func integer(_ node: Node?, _ key: String, field: String? = nil) -> Int? {
        guard let text = text(node, key, field: field) else { return nil }
        guard let value = Int(text) else {
            add("\(key) must be a whole number, not \"\(text)\"", field: field, at: node)
            return nil
        }
        return value
    }

    mutating func boolean(_ node: Node?, _ key: String, field: String? = nil) -> Bool? {
        guard let node, let text = text(node, key, field: field) else { return nil }
        guard let value = node.bool else {
            add("\(key) must be true or false, not \"\(text)\"", field: field, at: node)
            return nil
        }
        return value
    }

    mutating func mapping(_ node: Node?, _ key: String, field: String? = nil) -> Node.Mapping? {
        guard let node, node.null == nil else { return nil }
        guard case .mapping(let mapping) = node else {
            add("\(key) must be a mapping (key: value lines)", field: field, at: node)
            return nil
        }
        return mapping
    }

    mutating func sequence(_ node: Node?, _ key: String, field: String? = nil) -> [Node]? {
        guard let node, node.null == nil else { return nil }
        guard case .sequence(let sequence) = node else {
            add("\(key) must be a list", field: field, at: node)
            return nil
        }
        return Array(sequence)
    }
}

extension String {
    /// `outcome` -> `outcome: `, `` -> ``: the location part of a message.
    fileprivate var prefixing: String { isEmpty ? "" : "\(self): " }
}
