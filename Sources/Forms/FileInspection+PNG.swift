/// Walks a PNG's chunks from its signature to IEND, checking each one's length and CRC, and
/// drops the ones that describe the picture in words or carry camera data: `tEXt`, `iTXt`,
/// `zTXt` (texts, XMP), `eXIf` (Exif, with a GPS position) and `tIME` (when it was last changed).
/// Every other chunk is kept byte for byte, in its place.
///
/// The first chunk must be IHDR, there must be image data (IDAT), and the file must end with
/// IEND; anything after IEND is dropped (``FileInspection/inspect(_:)`` still refuses the file
/// if markup hides there). A length past the end, a chunk type that is not four letters, or a
/// CRC that does not match is `truncated`: the file was cut or damaged on its way.
enum PNGCleaner {
    static let droppedTypes: Set<String> = ["tEXt", "iTXt", "zTXt", "eXIf", "tIME"]

    static func clean(_ bytes: [UInt8]) -> Result<FileInspection.Parsed, FileInspection.Refusal> {
        let count = bytes.count
        let signatureLength = FileInspection.pngSignature.count
        guard bytes.starts(with: FileInspection.pngSignature) else { return .failure(.truncated) }
        var kept = Array(bytes[0..<signatureLength])
        kept.reserveCapacity(count)
        var position = signatureLength
        var sawHeader = false
        var sawData = false
        while true {
            // Length (4), type (4), data (length), CRC (4).
            guard count - position >= 12 else { return .failure(.truncated) }
            let length = Int(bigEndian32(bytes, at: position))
            // PNG caps a chunk at 2^31 - 1 bytes; the rest of the file caps it anyway.
            guard length <= 0x7FFF_FFFF, count - position - 12 >= length else { return .failure(.truncated) }
            let typeBytes = bytes[(position + 4)..<(position + 8)]
            guard typeBytes.allSatisfy(isLetter) else { return .failure(.truncated) }
            let dataEnd = position + 8 + length
            guard CRC32.checksum(bytes[(position + 4)..<dataEnd]) == bigEndian32(bytes, at: dataEnd) else {
                return .failure(.truncated)
            }
            let type = String(decoding: typeBytes, as: UTF8.self)
            if !sawHeader {
                guard type == "IHDR", length == 13 else { return .failure(.truncated) }
                sawHeader = true
            }
            if type == "IDAT" { sawData = true }
            let chunkEnd = dataEnd + 4
            if !droppedTypes.contains(type) {
                kept += bytes[position..<chunkEnd]
            }
            position = chunkEnd
            if type == "IEND" {
                guard sawData else { return .failure(.truncated) }
                return .success(FileInspection.Parsed(bytes: kept, trailing: bytes[position...]))
            }
        }
    }

    /// The four bytes at `index` as a big-endian number; the caller has checked they exist.
    static func bigEndian32(_ bytes: [UInt8], at index: Int) -> UInt32 {
        UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8 | UInt32(bytes[index + 3])
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}

/// CRC-32 as zlib and PNG compute it (reflected polynomial 0xEDB88320), one table lookup per byte.
enum CRC32 {
    static let table: [UInt32] = (0...255).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
        }
        return value
    }

    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }
}
