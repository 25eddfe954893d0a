/// A PDF is kept as it came, once it is whole and passive.
///
/// Whole: `%%EOF` within its last 1024 bytes (a PDF ends with it; a cut one does not).
/// Passive: no JavaScript and no launching of programs, which have no place in a claim. The
/// names `/JavaScript` and `/Launch` (every JavaScript action and document script has the
/// former) refuse the file wherever they are, `#xx` escapes decoded (`/J#61vaScript`); `/JS`
/// refuses it outside streams. Inside a stream's data the three bytes `/JS` and a delimiter
/// turn up by chance in about one compressed 2 MB stream in 130, so only the longer names
/// count there.
///
/// Not seen: names inside compressed object streams (PDF 1.5), which would need inflating. The
/// file is served as an attachment under a sandboxing CSP in any case.
enum PDFChecker {
    static let end = Array("%%EOF".utf8)
    static let tailLength = 1024

    static func check(_ bytes: [UInt8]) -> Result<FileInspection.Parsed, FileInspection.Refusal> {
        let tail = bytes.suffix(tailLength)
        var index = tail.startIndex
        while index < tail.endIndex {
            if tail[index...].starts(with: end) {
                return .success(FileInspection.Parsed(bytes: bytes, trailing: []))
            }
            index += 1
        }
        return .failure(.truncated)
    }

    static let alwaysActive: [[UInt8]] = ["JavaScript", "Launch"].map { Array($0.utf8) }
    static let activeOutsideStreams: [UInt8] = Array("JS".utf8)
    static let stream = Array("stream".utf8)
    static let endStream = Array("endstream".utf8)
    /// Longer names cannot be one of the above, so reading stops there.
    static let longestName = 10

    /// Whether the PDF names JavaScript or a launch action (see the type's description). One
    /// pass; each `/` reads at most a dozen bytes.
    static func hasActiveContent(_ bytes: [UInt8]) -> Bool {
        let all = bytes[...]
        var inStream = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if inStream {
                if byte == UInt8(ascii: "e"), all[index...].starts(with: endStream) {
                    inStream = false
                    index += endStream.count
                    continue
                }
            } else if byte == UInt8(ascii: "s"), all[index...].starts(with: stream),
                index == 0 || !isRegular(bytes[index - 1]), startsLine(bytes, at: index + stream.count)
            {
                inStream = true
                index += stream.count
                continue
            }
            if byte == UInt8(ascii: "/"), let name = name(in: bytes, from: index + 1) {
                if alwaysActive.contains(name) || (!inStream && name == activeOutsideStreams) { return true }
            }
            index += 1
        }
        return false
    }

    /// The name starting at `start` (after its `/`), `#xx` escapes decoded; nil when longer
    /// than ``longestName``.
    static func name(in bytes: [UInt8], from start: Int) -> [UInt8]? {
        var name: [UInt8] = []
        var index = start
        while index < bytes.count, isRegular(bytes[index]) {
            guard name.count < longestName else { return nil }
            if bytes[index] == UInt8(ascii: "#"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                name.append(high << 4 | low)
                index += 3
            } else {
                name.append(bytes[index])
                index += 1
            }
        }
        return name
    }

    /// `stream` is followed by CR LF or LF (a lone CR is tolerated).
    private static func startsLine(_ bytes: [UInt8], at index: Int) -> Bool {
        index < bytes.count && (bytes[index] == 0x0A || bytes[index] == 0x0D)
    }

    /// Neither whitespace nor a delimiter: a byte that continues a name or keyword.
    private static func isRegular(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x00, 0x09, 0x0A, 0x0C, 0x0D, 0x20: false
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "["),
            UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "/"), UInt8(ascii: "%"):
            false
        default: true
        }
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
