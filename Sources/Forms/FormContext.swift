internal import Foundation

/// What the CX script handed over for this session: the `content` of Alvaria's context.
///
/// A JSON object makes its keys reachable as `context.<dotted.path>` (arrays by index:
/// `context.items.0`); anything else — plain text, malformed JSON, a JSON array or string —
/// is available whole as `context.text`.
public struct FormContext: Sendable {
    /// The JSON object, or `{"text": content}` for anything else.
    let root: [String: JSONValue]
    /// Whether the content was a JSON object (otherwise it is only `context.text`).
    public let isJSONObject: Bool

    /// NUL characters are dropped from every value: nothing a person or a page could want, and
    /// they reach the HTML raw (escaping leaves them alone).
    public init(content: String) {
        // JSON carries NUL only as the escape \u0000; plain text may hold it as it is.
        let mayHoldNUL = content.contains("\\u0000") || content.unicodeScalars.contains("\u{0}")
        if let data = content.data(using: .utf8),
            case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: data)
        {
            root = mayHoldNUL ? object.mapValues { $0.withoutNUL } : object
            isJSONObject = true
        } else {
            root = ["text": .string(mayHoldNUL ? String(String.UnicodeScalarView(content.unicodeScalars.filter { $0 != "\u{0}" })) : content)]
            isJSONObject = false
        }
    }

    /// The text at a path like `context.address.street` or `context.items.0`: strings as they
    /// are, numbers as JSON text (`"42"`, `"3.5"`), booleans `"true"`/`"false"`; `nil` for null,
    /// objects, arrays, missing keys and paths that do not start with `context.`.
    public func value(at path: String) -> String? {
        jsonValue(at: path)?.scalarText
    }

    /// The `form` key when it is a string: which form the CX script wants shown.
    public var formId: String? {
        guard isJSONObject, case .string(let id)? = root["form"] else { return nil }
        return id
    }

    /// The `lang` key when it is a string: the language the CX script wants.
    public var language: String? {
        guard isJSONObject, case .string(let language)? = root["lang"] else { return nil }
        return language
    }

    /// The value at `context.` followed by these components.
    func jsonValue(components: [String]) -> JSONValue? {
        JSONValue.object(root).value(at: components)
    }

    func jsonValue(at path: String) -> JSONValue? {
        let components = path.split(separator: ".", omittingEmptySubsequences: false)
        guard components.count >= 2, components[0] == "context" else { return nil }
        return JSONValue.object(root).value(at: components.dropFirst())
    }

    /// Several values at a path, for `checkboxes`: a JSON array of scalars, or a comma-joined text.
    func values(at path: String) -> [String]? {
        switch jsonValue(at: path) {
        case .array(let elements):
            return elements.compactMap(\.scalarText)
        case let value?:
            return value.scalarText.map { text in
                text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            }
        case nil:
            return nil
        }
    }
}
