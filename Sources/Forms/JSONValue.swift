internal import Foundation

/// A decoded JSON value.
///
/// Decoded with `JSONDecoder` rather than `JSONSerialization`: on Linux the latter hands back
/// `NSNumber`s that cannot tell `true` from `1`. Numbers keep their exact decimal value (not a
/// `Double`) so `42` stays `"42"` and long ids do not lose digits.
enum JSONValue: Sendable, Equatable, Decodable {
    case string(String)
    case number(Decimal)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        // Most likely first: every failed attempt throws, and a thrown DecodingError (its coding
        // path, its description) costs more than the decoding. A context is an object of strings.
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let object = try? container.decode([String: JSONValue].self) {
            self = .object(object)
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Decimal.self) {
            self = .number(number)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            // Syntax errors fail the whole document before this point, so what is left is a
            // number no Decimal can hold (1e400): one such value should not turn the whole
            // context into text, so it counts as absent.
            self = .null
        }
    }

    /// The value with every NUL removed from its strings, at any depth.
    var withoutNUL: JSONValue {
        switch self {
        case .string(let string): .string(String(String.UnicodeScalarView(string.unicodeScalars.filter { $0 != "\u{0}" })))
        case .array(let elements): .array(elements.map(\.withoutNUL))
        case .object(let members): .object(members.mapValues(\.withoutNUL))
        case .number, .bool, .null: self
        }
    }

    /// Strings as they are, numbers as JSON text, booleans as `true`/`false`; nothing for the rest.
    var scalarText: String? {
        switch self {
        case .string(let string): string
        case .number(let number): number.description
        case .bool(let bool): bool ? "true" : "false"
        case .null, .array, .object: nil
        }
    }

    /// The value at `components`: object keys, or decimal indexes into arrays.
    func value<Component: StringProtocol>(at components: some Collection<Component>) -> JSONValue? {
        var current = self
        for component in components {
            switch current {
            case .object(let object):
                guard let next = object[String(component)] else { return nil }
                current = next
            case .array(let array):
                guard let index = Int(component), array.indices.contains(index) else { return nil }
                current = array[index]
            default:
                return nil
            }
        }
        return current
    }
}
