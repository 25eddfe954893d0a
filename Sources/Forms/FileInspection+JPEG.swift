/// Walks a JPEG's segments from its start (SOI) to its end (EOI), keeping what draws the picture
/// byte for byte and dropping what describes it.
///
/// Dropped: every APP1 segment (Exif, with the GPS position, the camera's make and model and
/// the time; and XMP), APP13 (IPTC and Photoshop), APP2 unless it is an ICC colour profile,
/// APP3 to APP12 and APP15 (vendors' own data: maker notes, multi-picture indexes), and every
/// comment (COM). Kept: APP0 (JFIF), APP14 (Adobe: how the colours are stored), the ICC profile,
/// the tables (DQT, DHT, DAC), the frame (SOFn), DRI, DNL, and each scan (SOS) with its
/// entropy-coded data. Fill bytes (`FF` padding before a marker) are not kept.
///
/// The orientation a phone records lives in Exif, so it goes too: a photo taken sideways can
/// then show sideways in viewers that honoured the tag. The pixels themselves are intact (no
/// re-encoding, no loss); turning them would mean decoding, which this does not do.
///
/// Anything after EOI is dropped (phones append a second picture there: a depth or gain map,
/// with its own Exif); ``FileInspection/inspect(_:)`` still refuses the file if markup hides
/// there. No EOI is `truncated`.
enum JPEGCleaner {
    static func clean(_ bytes: [UInt8]) -> Result<FileInspection.Parsed, FileInspection.Refusal> {
        let count = bytes.count
        guard count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return .failure(.truncated) }
        var kept: [UInt8] = [0xFF, 0xD8]
        kept.reserveCapacity(count)
        var position = 2
        var sawFrame = false
        var sawScan = false
        while true {
            // A marker: FF, any number of fill bytes FF, then its code. Anything else between
            // segments is damage.
            guard position < count, bytes[position] == 0xFF else { return .failure(.truncated) }
            while position < count, bytes[position] == 0xFF { position += 1 }
            guard position < count else { return .failure(.truncated) }
            let code = bytes[position]
            position += 1
            switch code {
            case 0xD9:
                // EOI: the end, once there was a picture.
                guard sawScan else { return .failure(.truncated) }
                kept += [0xFF, 0xD9]
                return .success(FileInspection.Parsed(bytes: kept, trailing: bytes[position...]))
            case 0x00, 0x01, 0xD0...0xD8:
                // A stuffed byte, TEM, a restart or a second SOI: none belongs between segments.
                return .failure(.truncated)
            default:
                break
            }
            // Every other marker has a two-byte length that counts itself and must fit.
            guard count - position >= 2 else { return .failure(.truncated) }
            let length = Int(bytes[position]) << 8 | Int(bytes[position + 1])
            guard length >= 2, count - position >= length else { return .failure(.truncated) }
            let payload = bytes[(position + 2)..<(position + length)]
            if keeps(code, payload: payload) {
                kept += [0xFF, code]
                kept += bytes[position..<(position + length)]
            }
            position += length
            if isFrame(code) { sawFrame = true }
            guard code == 0xDA else { continue }
            // SOS: entropy-coded data follows, up to the next marker that is not a stuffed
            // byte (FF 00) or a restart (FF D0–D7).
            guard sawFrame else { return .failure(.truncated) }
            sawScan = true
            let start = position
            while true {
                guard position < count else { return .failure(.truncated) }
                guard bytes[position] == 0xFF else {
                    position += 1
                    continue
                }
                guard position + 1 < count else { return .failure(.truncated) }
                let next = bytes[position + 1]
                guard next == 0x00 || (0xD0...0xD7).contains(next) else { break }
                position += 2
            }
            kept += bytes[start..<position]
        }
    }

    /// Whether a segment draws the picture (or says how its colours are stored), as opposed to
    /// describing it.
    static func keeps(_ code: UInt8, payload: ArraySlice<UInt8>) -> Bool {
        switch code {
        case 0xE1: false  // APP1: Exif (GPS, make, model, time, orientation) and XMP
        case 0xE2: payload.starts(with: iccProfile)  // APP2: the ICC colour profile, not FlashPix or MPF
        case 0xE3...0xED, 0xEF: false  // APP3–APP13 (APP13: IPTC, Photoshop), APP15
        case 0xFE: false  // COM
        default: true  // APP0 (JFIF), APP14 (Adobe), DQT, DHT, DAC, SOFn, DRI, DNL, SOS
        }
    }

    static let iccProfile = Array("ICC_PROFILE\0".utf8)

    /// SOF0–SOF15, which are C0–CF less DHT (C4), JPG (C8) and DAC (CC).
    static func isFrame(_ code: UInt8) -> Bool {
        (0xC0...0xCF).contains(code) && code != 0xC4 && code != 0xC8 && code != 0xCC
    }
}
