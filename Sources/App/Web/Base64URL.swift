import Foundation

/// Base64url without padding (RFC 4648 §5), straight from and to bytes: the form token's MAC
/// is encoded on every page, and Foundation's base64 plus three string replacements cost more
/// than the HMAC itself.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let values: [UInt8] = {
        var values = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { values[Int(byte)] = UInt8(index) }
        return values
    }()

    static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        let length = (bytes.count * 4 + 2) / 3
        return String(unsafeUninitializedCapacity: length) { output in
            var written = 0
            var index = 0
            while index < bytes.count {
                let remaining = bytes.count - index
                let first = UInt32(bytes[index])
                let second = remaining > 1 ? UInt32(bytes[index + 1]) : 0
                let third = remaining > 2 ? UInt32(bytes[index + 2]) : 0
                let group = first << 16 | second << 8 | third
                // 3 bytes make 4 characters; the last 1 or 2 bytes make 2 or 3.
                for position in 0..<min(4, remaining + 1) {
                    output[written] = alphabet[Int((group >> UInt32(18 - 6 * position)) & 0x3F)]
                    written += 1
                }
                index += 3
            }
            return written
        }
    }

    /// `nil` for anything that is not unpadded base64url.
    static func decode(_ text: Substring) -> Data? {
        let characters = Array(text.utf8)
        guard characters.count % 4 != 1 else { return nil }
        var bytes = Data()
        bytes.reserveCapacity(characters.count * 3 / 4)
        var group: UInt32 = 0
        var bits = 0
        for character in characters {
            let value = values[Int(character)]
            guard value != 0xFF else { return nil }
            group = group << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8((group >> UInt32(bits)) & 0xFF))
            }
        }
        // Leftover bits must be zero: one text, one MAC.
        guard group & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return bytes
    }
}
