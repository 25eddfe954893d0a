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

    mutating func add(_ reason: String, field: String? = nil) {
        problems.add(reason, field: field)
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
                add("\(path.prefixing)keys must be text", field: field)
                continue
            }
            if allowed.contains(key) {
                result[key] = value
            } else {
                let hint = Self.closest(to: key, in: allowed).map { " (did you mean \"\($0)\"?)" } ?? ""
                add("\(path.prefixing)unknown key \"\(key)\"\(hint)", field: field)
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
            add("\(key) must be a single value, not a list", field: field)
        case .mapping:
            add("\(key) must be a single value, not a mapping", field: field)
        case .alias:
            add("\(key) must be a single value", field: field)
        }
        return nil
    }

    mutating func integer(_ node: Node?, _ key: String, field: String? = nil) -> Int? {
        guard let text = text(node, key, field: field) else { return nil }
        guard let value = Int(text) else {
            add("\(key) must be a whole number, not \"\(text)\"", field: field)
            return nil
        }
        return value
    }

    mutating func boolean(_ node: Node?, _ key: String, field: String? = nil) -> Bool? {
        guard let node, let text = text(node, key, field: field) else { return nil }
        guard let value = node.bool else {
            add("\(key) must be true or false, not \"\(text)\"", field: field)
            return nil
        }
        return value
    }

    mutating func mapping(_ node: Node?, _ key: String, field: String? = nil) -> Node.Mapping? {
        guard let node, node.null == nil else { return nil }
        guard case .mapping(let mapping) = node else {
            add("\(key) must be a mapping (key: value lines)", field: field)
            return nil
        }
        return mapping
    }

    mutating func sequence(_ node: Node?, _ key: String, field: String? = nil) -> [Node]? {
        guard let node, node.null == nil else { return nil }
        guard case .sequence(let sequence) = node else {
            add("\(key) must be a list", field: field)
            return nil
        }
        return Array(sequence)
    }

    /// A known key within edit distance 2 (or differing only in case), for "did you mean".
    static func closest(to key: String, in candidates: [String]) -> String? {
        if let sameLetters = candidates.first(where: { $0.lowercased() == key.lowercased() }) {
            return sameLetters
        }
        let scored = candidates.map { ($0, editDistance(key.lowercased(), $0.lowercased())) }
        return scored.filter { $0.1 <= 2 }.min { $0.1 < $1.1 }?.0
    }

    private static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let lhs = Array(lhs)
        let rhs = Array(rhs)
        guard !lhs.isEmpty else { return rhs.count }
        guard !rhs.isEmpty else { return lhs.count }
        var previous = Array(0...rhs.count)
        for (i, left) in lhs.enumerated() {
            var current = [i + 1]
            for (j, right) in rhs.enumerated() {
                current.append(Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (left == right ? 0 : 1)))
            }
            previous = current
        }
        return previous[rhs.count]
    }
}

extension String {
    /// `outcome` -> `outcome: `, `` -> ``: the location part of a message.
    fileprivate var prefixing: String { isEmpty ? "" : "\(self): " }
}
