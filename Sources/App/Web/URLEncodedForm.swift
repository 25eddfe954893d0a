import Foundation

/// Decodes an `application/x-www-form-urlencoded` body strictly: a malformed percent-escape or
/// bytes that are not UTF-8 are an error (400), never silently dropped or replaced.
enum URLEncodedForm {
    struct MalformedError: Error {}
    /// More fields than any form has: refused (413) before anything is decoded or validated.
    struct TooManyFieldsError: Error {}

    /// More than any real form posts (the largest has a few dozen fields plus the token), far
    /// less than a hostile body under `http.maxBodySize` could carry.
    static let maxFields = 1000

    static func decode(_ body: String, maxFields: Int = maxFields) throws -> [(String, String)] {
        let items = body.split(separator: "&", omittingEmptySubsequences: true)
        guard items.count <= maxFields else { throw TooManyFieldsError() }
        var pairs: [(String, String)] = []
        pairs.reserveCapacity(items.count)
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decodeComponent(parts[0])
            let value = parts.count > 1 ? try decodeComponent(parts[1]) : ""
            pairs.append((name, value))
        }
        return pairs
    }

    static func decode(bytes: some Collection<UInt8>, maxFields: Int = maxFields) throws -> [(String, String)] {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw MalformedError() }
        return try decode(text, maxFields: maxFields)
    }

    private static func decodeComponent(_ component: Substring) throws(MalformedError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(component.utf8.count)
        var iterator = component.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    throw MalformedError()
                }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw MalformedError() }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
