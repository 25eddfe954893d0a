import Foundation

/// An IPv4 or IPv6 network in CIDR notation (`10.0.0.0/8`, `::1/128`, or a bare address), for
/// `http.trustedProxies`.
public struct IPAddressRange: Sendable, Equatable, CustomStringConvertible {
    /// Network bytes (4 or 16) and how many leading bits must match.
    let bytes: [UInt8]
    let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = Self.parse(String(parts[0])) else { return nil }
        let maximum = bytes.count * 8
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...maximum).contains(length) else { return nil }
            prefixLength = length
        } else {
            prefixLength = maximum
        }
        self.bytes = bytes
    }

    public var description: String { "\(Self.format(bytes))/\(prefixLength)" }

    /// True when `address` (textual IPv4 or IPv6; IPv4-mapped IPv6 counts as IPv4) is inside.
    public func contains(_ address: String) -> Bool {
        guard var candidate = Self.parse(address) else { return false }
        if candidate.count == 16, bytes.count == 4, candidate[0..<12] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] {
            candidate = Array(candidate[12...])
        }
        guard candidate.count == bytes.count else { return false }
        var remaining = prefixLength
        for (mine, theirs) in zip(bytes, candidate) where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
            if mine & mask != theirs & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// Whom a rate limit counts a client as: an IPv4 address as it is, an IPv6 address by its /64,
    /// the smallest network an ISP hands out (one subscriber has 2^64 addresses to rotate through);
    /// IPv4-mapped IPv6 as the IPv4 address. Anything else, as written.
    public static func rateLimitKey(for address: String) -> String {
        guard var bytes = parse(address) else { return address }
        if bytes.count == 16, bytes[0..<12] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] {
            bytes = Array(bytes[12...])
        }
        guard bytes.count == 16 else { return format(bytes) }
        return IPAddressRange(bytes: Array(bytes[0..<8]) + Array(repeating: 0, count: 8), prefixLength: 64).description
    }

    private init(bytes: [UInt8], prefixLength: Int) {
        self.bytes = bytes
        self.prefixLength = prefixLength
    }

    /// inet_pton, so every notation the system accepts is accepted (and nothing else).
    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    private static func format(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
    }
}
