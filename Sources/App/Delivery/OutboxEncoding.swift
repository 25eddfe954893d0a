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

/// How both stores write an outcome's variables: the JSON list sent to Alvaria.
enum OutboxJSON {
    /// Sorted keys: the same list is always the same text, whichever process wrote it.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func encode(_ variables: [OutcomeVariable]) throws -> String {
        // Encoding [String]-only structs cannot fail in practice; if it ever does, say so without values.
        guard let data = try? encoder.encode(variables), let text = String(data: data, encoding: .utf8) else {
            throw OutboxStoreError.unreadableEntry(id: nil, reason: "variables could not be encoded as JSON")
        }
        return text
    }

    static func decode(_ json: String, id: Int64) throws -> [OutcomeVariable] {
        do {
            return try JSONDecoder().decode([OutcomeVariable].self, from: Data(json.utf8))
        } catch {
            // Not the decoder's message: it may quote the values.
            throw OutboxStoreError.unreadableEntry(id: id, reason: "variables are not a JSON list of {id, value}")
        }
    }
}
