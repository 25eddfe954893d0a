/// A CX dialog id as it arrives in a link's `sessionId`.
///
/// Checked before any upstream call: 1–128 characters of `A-Z a-z 0-9 . _ : -`.
public struct SessionID: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    public init?(_ rawValue: String) {
        guard (1...128).contains(rawValue.utf8.count),
            rawValue.utf8.allSatisfy(Self.isAllowed)
        else { return nil }
        self.rawValue = rawValue
    }

    /// Enough to correlate log lines, not enough to open someone's form.
    public var shortened: String {
        rawValue.count <= 8 ? rawValue : String(rawValue.prefix(6)) + "…"
    }

    public var description: String { shortened }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: ":"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
