internal import Foundation
internal import Mustache

extension FormContext {
    /// The context as swift-mustache walks it: `{{context.a.b}}`, `{{context.items.0}}`,
    /// `{{#context.items}}…{{/context.items}}`, `{{#context.vip}}…{{/context.vip}}`; every string
    /// and number already HTML-escaped, for templates rendered with the TEXT content type.
    var htmlEscapedMustacheValue: Any {
        MustacheObject(members: root)
    }
}

/// A JSON object for Mustache. A dedicated type rather than a Dictionary: were `{{context}}`
/// rendered, Dictionary's description would print keys and quotes; this renders nothing.
private struct MustacheObject: MustacheParent, CustomStringConvertible {
    let members: [String: JSONValue]

    func child(named name: String) -> Any? {
        members[name].flatMap(mustacheValue)
    }

    var description: String { "" }
}

/// A JSON array for Mustache: iterable in sections and addressable by index (`items.0`),
/// which a plain Array is not.
private struct MustacheList: MustacheParent, MustacheSequence, CustomStringConvertible {
    let elements: [JSONValue]

    func child(named name: String) -> Any? {
        guard let index = Int(name), elements.indices.contains(index) else { return nil }
        return mustacheValue(elements[index])
    }

    func makeIterator() -> IndexingIterator<[Any]> {
        // null elements become "" rather than disappearing, so indexes and counts stay true.
        elements.map { mustacheValue($0) ?? "" }.makeIterator()
    }

    var description: String { "" }
}

/// Strings and numbers (as their JSON text: `42`, not `42.0`) HTML-escaped; booleans stay
/// booleans so sections can test them; null is absent.
private func mustacheValue(_ value: JSONValue) -> Any? {
    switch value {
    case .string(let string): HTMLEscaping.escape(string)
    case .number(let number): HTMLEscaping.escape(number.description)
    case .bool(let bool): bool
    case .null: nil
    case .array(let elements): MustacheList(elements: elements)
    case .object(let members): MustacheObject(members: members)
    }
}
