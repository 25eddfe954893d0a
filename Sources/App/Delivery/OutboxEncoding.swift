import AlvariaModels
import Foundation

/// How both stores write times: BIGINT/INTEGER milliseconds since 1970, UTC.
///
/// Integers compare exactly in SQL (`next_attempt_at <= :now`) and sort correctly, which REAL
/// seconds do too but with rounding surprises; milliseconds are finer than any deadline here,
/// and the same unit in both stores makes them round alike.
enum StoredTime {
    static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func date(_ millis: Int64) -> Date {
        Date(timeIntervalSince1970: Double(millis) / 1000)
    }
}

/// How both stores write an outcome's variables: the JSON list sent to Alvaria, less the
/// sensitive ones, which go to a column of their own (with their places in the list) so that
/// erasing them once delivered is setting that column to NULL.
enum OutboxJSON {
    /// A sensitive variable and where it goes back in the list.
    private struct Sensitive: Codable {
        var at: Int
        var id: String
        var value: String
    }

    /// The list without the sensitive variables, and those (`nil` when there are none).
    static func encode(_ variables: [OutcomeVariable], sensitive: Set<String>) throws -> (plain: String, sensitive: String?) {
        guard !sensitive.isEmpty else { return (try encode(variables), nil) }
        var plain: [OutcomeVariable] = []
        var kept: [Sensitive] = []
        for (index, variable) in variables.enumerated() {
            if sensitive.contains(variable.id) {
                kept.append(Sensitive(at: index, id: variable.id, value: variable.value))
            } else {
                plain.append(variable)
            }
        }
        return (try encode(plain), kept.isEmpty ? nil : try text(of: kept))
    }

    /// The list as it was submitted: the sensitive variables back in their places.
    static func decode(_ json: String, sensitive: String?, id: Int64) throws -> [OutcomeVariable] {
        var variables = try decode(json, id: id)
        guard let sensitive else { return variables }
        let kept: [Sensitive]
        do {
            kept = try decoder.decode([Sensitive].self, from: Data(sensitive.utf8))
        } catch {
            throw OutboxStoreError.unreadableEntry(id: id, reason: "sensitive variables are not a JSON list of {at, id, value}")
        }
        for variable in kept.sorted(by: { $0.at < $1.at }) {
            variables.insert(OutcomeVariable(id: variable.id, value: variable.value), at: min(variable.at, variables.count))
        }
        return variables
    }

    /// Sorted keys: the same list is always the same text, whichever process wrote it.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func encode(_ variables: [OutcomeVariable]) throws -> String {
        try text(of: variables)
    }

    private static func text(of value: some Encodable) throws -> String {
        // Encoding string-only structs cannot fail in practice; if it ever does, say so without values.
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else {
            throw OutboxStoreError.unreadableEntry(id: nil, reason: "variables could not be encoded as JSON")
        }
        return text
    }

    /// One decoder for every entry read (claims, listings): it holds no state between calls.
    private static let decoder = JSONDecoder()

    static func decode(_ json: String, id: Int64) throws -> [OutcomeVariable] {
        do {
            return try decoder.decode([OutcomeVariable].self, from: Data(json.utf8))
        } catch {
            // Not the decoder's message: it may quote the values.
            throw OutboxStoreError.unreadableEntry(id: id, reason: "variables are not a JSON list of {id, value}")
        }
    }
}
