import Foundation
import PropertyBased
import Testing

@testable import Forms

/// Uploads are judged by their bytes: hostile files are refused with the right reason, photos
/// lose their metadata and keep their image data byte for byte, clean files come back unchanged.
@Suite("File inspection")
struct FileInspectionTests {
    // MARK: Detection and refusals

    @Test("The kind comes from the first bytes, whatever the name says")
    func detects() throws {
        #expect(FileInspection.detect(try Fixture.bytes("photo-gps.jpg")) == .jpeg)
        #expect(FileInspection.detect(try Fixture.bytes("photo-text.png")) == .png)
        #expect(FileInspection.detect(try Fixture.bytes("document.pdf")) == .pdf)
        #expect(FileInspection.detect(try Fixture.bytes("html-named.png")) == nil)
        #expect(FileInspection.detect(try Fixture.bytes("script.svg")) == nil)
        #expect(FileInspection.detect([UInt8]()) == nil)
        #expect(FileInspection.detect([0xFF, 0xD8]) == nil, "too short to say")
        #expect(FileInspection.detect(Array(" %PDF-1.4".utf8)) == nil, "%PDF- must open the file")
        #expect(FileInspection.detect(Array("%PDF-".utf8)[...]) == .pdf, "any collection of bytes")
    }

    @Test(
        "Every hostile fixture is refused with its reason",
        arguments: [
            ("html-named.png", FileInspection.Refusal.unknownType), ("script.svg", .unknownType), ("polyglot.pdf", .markup),
            ("javascript.pdf", .markup), ("truncated.jpg", .truncated), ("truncated.png", .truncated), ("empty.png", .empty),
        ]
    )
    func refusesHostileFixtures(name: String, reason: FileInspection.Refusal) throws {
        #expect(FileInspection.inspect(try Fixture.bytes(name)) == .failure(reason))
    }

    @Test("A refusal tells the field which problem to show")
    func refusalProblems() {
        #expect(FileInspection.Refusal.allCases.map(\.fieldProblem) == [.fileDamaged, .fileType, .fileType, .fileDamaged])
    }

    @Test("File kinds: media type, extension, image or not")
    func kinds() {
        #expect(FileKind.allCases.map(\.mediaType) == ["image/jpeg", "image/png", "application/pdf"])
        #expect(FileKind.allCases.map(\.fileExtension) == ["jpg", "png", "pdf"])
        #expect(FileKind.allCases.map(\.isImage) == [true, true, false])
    }

    // MARK: JPEG

    @Test("The GPS photo loses Exif, XMP and its comment; the image data is byte-identical")
    func jpegLosesMetadata() throws {
        let original = try Fixture.bytes("photo-gps.jpg")
        let cleaned = try Self.accepted(original, as: .jpeg)
        let before = try JPEGParts(original)
        let after = try JPEGParts(cleaned)
        #expect(before.codes.filter { $0 == 0xE1 }.count == 2 && before.codes.contains(0xFE), "the fixture has what is to go")
        #expect(!after.codes.contains(0xE1) && !after.codes.contains(0xFE))
        // Everything else, in order and byte for byte: APP0, DQT, SOF, DHT, SOS, and the scan's data.
        let kept = before.segments.filter { $0.code != 0xE1 && $0.code != 0xFE }
        #expect(after.segments.map(\.code) == kept.map(\.code))
        #expect(after.segments.map(\.bytes) == kept.map(\.bytes))
        #expect(Set(after.codes).isSuperset(of: [0xE0, 0xDB, 0xC0, 0xC4, 0xDA]))
        #expect(after.scans == before.scans && after.scans.count == 1 && after.scans[0].count > 500)
        #expect(Array(cleaned.suffix(2)) == [0xFF, 0xD9])
        for secret in Fixture.photoSecrets {
            #expect(original.contains(secret) && !cleaned.contains(secret), "\(String(decoding: secret, as: UTF8.self))")
        }
    }

    @Test("A progressive photo with restart markers keeps every scan and the restart interval")
    func progressive() throws {
        let original = try Fixture.bytes("photo-progressive.jpg")
        let cleaned = try Self.accepted(original, as: .jpeg)
        let before = try JPEGParts(original)
        let after = try JPEGParts(cleaned)
        #expect(before.scans.count > 5)
        #expect(after.scans == before.scans)
        #expect(after.segments.map(\.bytes) == before.segments.filter { $0.code != 0xE1 && $0.code != 0xFE }.map(\.bytes))
        #expect(after.codes.contains(0xDD) && after.codes.contains(0xC2))
        #expect(after.scans.contains { scan in zip(scan, scan.dropFirst()).contains { pair in pair.0 == 0xFF && (0xD0...0xD7).contains(pair.1) } })
        for secret in Fixture.photoSecrets {
            #expect(!cleaned.contains(secret))
        }
    }

    @Test("APP2 stays only as an ICC profile; APP13, APP3–APP12 and APP15 go; APP14 stays")
    func applicationSegments() throws {
        let original = try Fixture.bytes("photo-gps.jpg")
        let icc = JPEGParts.segment(0xE2, Array("ICC_PROFILE\0".utf8) + [1, 1] + Array(repeating: 0x42, count: 40))
        let adobe = JPEGParts.segment(0xEE, Array("Adobe".utf8) + [0, 100, 0, 0, 0, 0, 1])
        let others = [
            JPEGParts.segment(0xE2, Array("MPF\0".utf8) + [0, 1, 2, 3]),  // multi-picture index
            JPEGParts.segment(0xED, Array("Photoshop 3.0\0".utf8) + Array("8BIM IPTC city".utf8)),
            JPEGParts.segment(0xE3, [1, 2, 3]), JPEGParts.segment(0xE9, Array("maker notes".utf8)),
            JPEGParts.segment(0xEF, Array("vendor".utf8)),
        ]
        let cleaned = try Self.accepted(JPEGParts.inserting([icc] + others + [adobe], into: original), as: .jpeg)
        let parts = try JPEGParts(cleaned)
        #expect(parts.segments.filter { (0xE0...0xEF).contains($0.code) }.map(\.bytes) == [Array(original[2..<20]), icc, adobe])
        #expect(try cleaned == JPEGParts.inserting([icc, adobe], into: Self.accepted(original, as: .jpeg)))
    }

    @Test("Data after the end is dropped, unless it hides markup")
    func afterTheEnd() throws {
        let original = try Fixture.bytes("photo-gps.jpg")
        let clean = try Self.accepted(original, as: .jpeg)
        // What phones append: a second picture with its own Exif.
        #expect(FileInspection.inspect(original + original) == .success(.init(kind: .jpeg, bytes: clean)))
        #expect(FileInspection.inspect(original + [0, 0, 0]) == .success(.init(kind: .jpeg, bytes: clean)))
        #expect(FileInspection.inspect(original + Array("<html><script>alert(1)</script>".utf8)) == .failure(.markup))
    }

    @Test("Markup in a comment goes with the comment; in a kept segment it refuses the file")
    func markupInSegments() throws {
        let original = try Fixture.bytes("photo-gps.jpg")
        let comment = JPEGParts.segment(0xFE, Array("<script>alert(1)</script>".utf8))
        #expect(try Self.accepted(JPEGParts.inserting([comment], into: original), as: .jpeg) == Self.accepted(original, as: .jpeg))
        let adobe = JPEGParts.segment(0xEE, Array("Adobe<svg onload=alert(1)>".utf8))
        #expect(FileInspection.inspect(JPEGParts.inserting([adobe], into: original)) == .failure(.markup))
    }

    @Test("Fill bytes before a marker are tolerated and not kept")
    func fillBytes() throws {
        let original = try Fixture.bytes("photo-gps.jpg")
        var padded = original
        padded.insert(contentsOf: [0xFF, 0xFF, 0xFF], at: 20)  // before the segment after APP0
        #expect(try Self.accepted(padded, as: .jpeg) == Self.accepted(original, as: .jpeg))
    }

    @Test("A JPEG whose structure is incomplete or broken is truncated")
    func brokenJPEG() throws {
        let original = try Fixture.bytes("photo-gps.jpg")
        let sosAt = try #require(JPEGParts.offset(of: 0xDA, in: original))
        var cases: [(String, [UInt8])] = [
            ("no end marker", Array(original.dropLast(2))),
            ("only the signature", [0xFF, 0xD8, 0xFF]),
            ("an end before any picture", [0xFF, 0xD8, 0xFF, 0xD9]),
            ("a segment longer than the file", Array(original[0..<20]) + [0xFF, 0xDB, 0xFF, 0xFF, 1, 2, 3]),
            ("a length shorter than itself", Array(original[0..<20]) + [0xFF, 0xDB, 0x00, 0x01] + original[20...]),
            ("a scan without a frame", Array(original[0..<20]) + original[sosAt...]),
            ("a second start", Array(original[0..<20]) + [0xFF, 0xD8] + original[20...]),
            ("a marker that ends the file", Array(original[0..<20]) + [0xFF, 0xFF]),
        ]
        var garbage = original
        garbage.insert(contentsOf: [0x12, 0x34], at: 20)
        cases.append(("bytes between segments", garbage))
        for (about, bytes) in cases {
            #expect(FileInspection.inspect(bytes) == .failure(.truncated), "\(about)")
        }
    }

    // MARK: PNG

    @Test("The PNG loses tEXt, iTXt, zTXt, eXIf and tIME; IHDR, pHYs, IDAT and IEND stay byte-identical")
    func pngLosesText() throws {
        let original = try Fixture.bytes("photo-text.png")
        let cleaned = try Self.accepted(original, as: .png)
        let before = try PNGChunks(original)
        let after = try PNGChunks(cleaned)
        #expect(before.types == ["IHDR", "tEXt", "iTXt", "eXIf", "tIME", "pHYs", "IDAT", "zTXt", "IEND"])
        #expect(after.types == ["IHDR", "pHYs", "IDAT", "IEND"])
        #expect(after.chunks.map(\.bytes) == before.chunks.filter { after.types.contains($0.type) }.map(\.bytes))
        #expect(Array(cleaned.prefix(8)) == Array(original.prefix(8)))
        for secret in Fixture.photoSecrets where original.contains(secret) {
            #expect(!cleaned.contains(secret), "\(String(decoding: secret, as: UTF8.self))")
        }
    }

    @Test("A PNG with a bad checksum, no IEND, no IDAT or no IHDR first is truncated; data after IEND is dropped")
    func brokenPNG() throws {
        let original = try Fixture.bytes("photo-text.png")
        let chunks = try PNGChunks(original)
        let clean = try Self.accepted(original, as: .png)
        func png(_ types: [String]) -> [UInt8] {
            Array(original.prefix(8)) + types.flatMap { type in chunks.chunks.first { $0.type == type }?.bytes ?? [] }
        }
        var flipped = original
        let idat = try #require(chunks.chunks.first { $0.type == "IDAT" })
        flipped[idat.offset + 20] ^= 0x01
        #expect(FileInspection.inspect(flipped) == .failure(.truncated), "bad CRC")
        #expect(FileInspection.inspect(png(["IHDR", "IDAT"])) == .failure(.truncated), "no IEND")
        #expect(FileInspection.inspect(png(["IHDR", "IEND"])) == .failure(.truncated), "no IDAT")
        #expect(FileInspection.inspect(png(["pHYs", "IHDR", "IDAT", "IEND"])) == .failure(.truncated), "IHDR not first")
        #expect(FileInspection.inspect(png(["IHDR", "pHYs", "IDAT", "IEND"])) == .success(.init(kind: .png, bytes: clean)))
        #expect(FileInspection.inspect(original + Array("junk".utf8)) == .success(.init(kind: .png, bytes: clean)))
        #expect(FileInspection.inspect(original + Array("<!DOCTYPE html>".utf8)) == .failure(.markup))
        #expect(FileInspection.inspect(Array(original.prefix(8)) + [0x7F, 0xFF, 0xFF, 0xFF] + Array("IHDR".utf8)) == .failure(.truncated))
    }

    @Test("CRC-32 is zlib's")
    func crc() {
        #expect(CRC32.checksum(Array("123456789".utf8)[...]) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }

    // MARK: PDF

    @Test("A clean PDF comes back byte-identical")
    func cleanPDF() throws {
        let original = try Fixture.bytes("document.pdf")
        #expect(try Self.accepted(original, as: .pdf) == original)
    }

    @Test("A PDF without %%EOF in its last 1024 bytes is truncated")
    func pdfEnd() throws {
        let original = try Fixture.bytes("document.pdf")
        #expect(FileInspection.inspect(Array(original.dropLast(7))) == .failure(.truncated))
        #expect(
            FileInspection.inspect(original + Array(repeating: 0x20, count: 1000))
                == .success(.init(kind: .pdf, bytes: original + Array(repeating: 0x20, count: 1000)))
        )
        #expect(FileInspection.inspect(original + Array(repeating: 0x20, count: 1030)) == .failure(.truncated))
    }

    @Test(
        "Active content refuses a PDF: JavaScript, launch actions, escaped names",
        arguments: [
            "/OpenAction << /S /JavaScript /JS (x) >>", "/AA << /O << /JS(app.alert\\(1\\)) >> >>", "/A << /S /Launch /F (cmd.exe) >>",
            "/OpenAction << /S /J#61vaScript >>", "/Names << /JavaScript 9 0 R >>", "/JS<616c657274>",
        ]
    )
    func activePDF(catalogEntry: String) throws {
        #expect(FileInspection.inspect(try Self.pdf(catalog: catalogEntry)) == .failure(.markup))
    }

    @Test(
        "Names that only look alike, and /JS inside a stream's data, do not",
        arguments: ["/JSON 1", "/Launcher 2", "/JavaScripts 3", "/MyJS 4", "/J#53ON 5"]
    )
    func passivePDF(catalogEntry: String) throws {
        let pdf = try Self.pdf(catalog: "/Extra << \(catalogEntry) >>", stream: "BT /JS 12 Tf ET")
        #expect(FileInspection.inspect(pdf).isAccepted, "\(catalogEntry)")
    }

    // MARK: Markup

    @Test(
        "Markup is found case aside, as a tag a browser would read",
        arguments: [
            "<script>", "<SCRIPT src=x>", "<Svg ", "<svg/onload=x>", "<html>", "<body\t", "<iframe src=x>", "<!DocType html",
            "JavaScript:alert(1)", "x<svg",
        ]
    )
    func markup(text: String) {
        #expect(MarkupScanner.containsMarkup(Array(("\0\u{1}" + text + " \u{2}").utf8)[...]))
        #expect(MarkupScanner.containsMarkup(Array(text.utf8)[...]), "at the very end too")
    }

    @Test("Words that are not tags are not markup", arguments: ["<svgx", "<scripted", "<htmlx>", "<b>", "< script>", "javascript", "java script:"])
    func notMarkup(text: String) {
        #expect(!MarkupScanner.containsMarkup(Array(("a " + text + " b").utf8)[...]))
    }

    // MARK: Clean files

    @Test(
        "A cleaned file is clean: inspecting it again gives it back byte for byte",
        arguments: ["photo-gps.jpg", "photo-progressive.jpg", "photo-text.png", "document.pdf"]
    )
    func idempotent(name: String) throws {
        let original = try Fixture.bytes(name)
        let first = try #require(FileInspection.inspect(original).accepted)
        #expect(FileInspection.inspect(first.bytes) == .success(first))
        #expect(first.bytes.count <= original.count)
    }

    // MARK: Hostile input

    /// Bytes the parsers look for: markers, lengths, chunk and PDF letters, markup.
    static let telling: [UInt8] =
        [0x00, 0x01, 0x02, 0x0A, 0x0D, 0x20, 0xC0, 0xC4, 0xD0, 0xD8, 0xD9, 0xDA, 0xE1, 0xE2, 0xFE, 0xFF] + Array("IHDRENATtEXt%OF/JSs<vg".utf8)
    /// Random bytes: long, short (edges of every length check), or made of telling bytes.
    static let anyBytes = Gen.oneOf(
        Gen<UInt8>.value(in: 0...255).array(of: 0...400),
        Gen<UInt8>.value(in: 0...255).array(of: 0...6),
        Gen.int(in: 0...(telling.count - 1)).map { telling[$0] }.array(of: 0...40)
    )
    static let signatures: [[UInt8]] = [FileInspection.jpegSignature, FileInspection.pngSignature, FileInspection.pdfSignature]

    @Test("Random bytes, bare or behind each signature, never crash; what is accepted is clean")
    func randomBytes() async {
        await propertyCheck(count: 3_000, input: Self.anyBytes, Gen.int(in: 0...3)) { bytes, signature in
            let input = (signature < 3 ? Self.signatures[signature] : []) + bytes
            Self.checkOutcome(input)
        }
    }

    @Test("Truncations and bit flips of every fixture never crash; a cut or flipped PNG or a cut JPEG is refused")
    func damagedFixtures() async throws {
        let fixtures = try ["photo-gps.jpg", "photo-progressive.jpg", "photo-text.png", "document.pdf", "polyglot.pdf"].map(Fixture.bytes)
        let positions = Gen.int(in: 0...1_000_000)
        await propertyCheck(count: 2_000, input: Gen.int(in: 0...(fixtures.count - 1)), positions, Gen.int(in: 0...7), Gen.int(in: 0...3)) {
            which,
            position,
            bit,
            flips in
            let original = fixtures[which]
            // Cut.
            let cut = Array(original.prefix(position % original.count))
            Self.checkOutcome(cut)
            if FileInspection.detect(original) != .pdf {
                #expect(!FileInspection.inspect(cut).isAccepted, "a photo cut at \(cut.count) of \(original.count)")
            }
            // Flipped, one bit or a few.
            var flipped = original
            for flip in 0...flips {
                flipped[(position &+ flip &* 7919) % flipped.count] ^= 1 << bit
            }
            Self.checkOutcome(flipped)
            if FileInspection.detect(original) == .png, flips == 0 {
                #expect(!FileInspection.inspect(flipped).isAccepted, "a PNG with bit \(bit) of byte \(position % flipped.count) flipped")
            }
        }
    }

    /// Whatever the input: no trap, and an accepted file is no larger, of the kind detected,
    /// free of markup and unchanged by a second inspection.
    static func checkOutcome(_ bytes: [UInt8]) {
        guard let cleaned = FileInspection.inspect(bytes).accepted else { return }
        #expect(cleaned.bytes.count <= bytes.count)
        #expect(FileInspection.detect(cleaned.bytes) == cleaned.kind)
        #expect(!MarkupScanner.containsMarkup(cleaned.bytes[...]))
        #expect(FileInspection.inspect(cleaned.bytes) == .success(cleaned))
    }

    // MARK: Helpers

    /// The cleaned bytes of a file that must be accepted as `kind`.
    static func accepted(_ bytes: [UInt8], as kind: FileKind, sourceLocation: SourceLocation = #_sourceLocation) throws -> [UInt8] {
        let result = FileInspection.inspect(bytes)
        let cleaned = try #require(result.accepted, "refused: \(result)", sourceLocation: sourceLocation)
        #expect(cleaned.kind == kind, sourceLocation: sourceLocation)
        return cleaned.bytes
    }

    /// document.pdf with an entry added to its catalog and its page's text replaced, offsets as
    /// they were (readers rebuild them; the inspection does not read them).
    static func pdf(catalog: String, stream: String = "") throws -> [UInt8] {
        var text = String(decoding: try Fixture.bytes("document.pdf"), as: UTF8.self)
        text = text.replacingOccurrences(of: "/Pages 2 0 R", with: "/Pages 2 0 R \(catalog)")
        if !stream.isEmpty {
            text = text.replacingOccurrences(of: "BT /F1 24 Tf 72 720 Td (Claim document) Tj ET", with: stream)
        }
        return Array(text.utf8)
    }
}

extension Result<FileInspection.Cleaned, FileInspection.Refusal> {
    var accepted: FileInspection.Cleaned? {
        if case .success(let cleaned) = self { cleaned } else { nil }
    }
    var isAccepted: Bool { accepted != nil }
}

/// The files in `Tests/Fixtures/files`, made by its `make_fixtures.py`.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/files")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// What the fixtures' metadata says and a cleaned photo must not: the camera, the comment,
    /// the XMP packet and the Exif header, and the GPS latitude's seconds (2647/100, big-endian).
    static let photoSecrets: [[UInt8]] =
        ["FixtureCam", "Model GPS-1", "12 Fixture Street", "xmpmeta", "Exif\0\0"].map { Array($0.utf8) }
        + [[0x00, 0x00, 0x0A, 0x57, 0x00, 0x00, 0x00, 0x64]]
}

/// A JPEG's parts read independently of the cleaner: each segment before EOI (its marker
/// code and bytes, marker included) and the entropy-coded data after each SOS.
struct JPEGParts {
    struct Segment {
        let code: UInt8
        let bytes: [UInt8]
    }
    struct Malformed: Error {}

    var segments: [Segment] = []
    var scans: [[UInt8]] = []
    var codes: [UInt8] { segments.map(\.code) }

    init(_ bytes: [UInt8]) throws {
        var position = 2
        while true {
            guard position + 1 < bytes.count, bytes[position] == 0xFF else { throw Malformed() }
            let code = bytes[position + 1]
            if code == 0xD9 { return }
            guard position + 3 < bytes.count else { throw Malformed() }
            let end = position + 2 + (Int(bytes[position + 2]) << 8 | Int(bytes[position + 3]))
            guard end <= bytes.count else { throw Malformed() }
            segments.append(Segment(code: code, bytes: Array(bytes[position..<end])))
            position = end
            if code == 0xDA {
                var scanEnd = position
                while scanEnd + 1 < bytes.count,
                    !(bytes[scanEnd] == 0xFF && bytes[scanEnd + 1] != 0 && !(0xD0...0xD7).contains(bytes[scanEnd + 1]))
                {
                    scanEnd += 1
                }
                scans.append(Array(bytes[position..<scanEnd]))
                position = scanEnd
            }
        }
    }

    /// A segment: FF, the code, a length counting itself, the payload.
    static func segment(_ code: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let length = payload.count + 2
        return [0xFF, code, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    }

    /// `segments` put right after APP0 (SOI and APP0 are the first 20 bytes of the fixtures).
    static func inserting(_ segments: [[UInt8]], into bytes: [UInt8]) -> [UInt8] {
        Array(bytes[0..<20]) + segments.flatMap { $0 } + bytes[20...]
    }

    /// Where the first segment with `code` starts.
    static func offset(of code: UInt8, in bytes: [UInt8]) -> Int? {
        var position = 2
        while position + 3 < bytes.count, bytes[position] == 0xFF {
            if bytes[position + 1] == code { return position }
            position += 2 + (Int(bytes[position + 2]) << 8 | Int(bytes[position + 3]))
        }
        return nil
    }
}

/// A PNG's chunks read independently of the cleaner.
struct PNGChunks {
    struct Chunk {
        let type: String
        let offset: Int
        let bytes: [UInt8]
    }
    struct Malformed: Error {}

    var chunks: [Chunk] = []
    var types: [String] { chunks.map(\.type) }

    init(_ bytes: [UInt8]) throws {
        var position = 8
        while position + 12 <= bytes.count {
            let length = bytes[position..<(position + 4)].reduce(0) { $0 << 8 | Int($1) }
            let end = position + 12 + length
            guard end <= bytes.count else { throw Malformed() }
            let type = String(decoding: bytes[(position + 4)..<(position + 8)], as: UTF8.self)
            chunks.append(Chunk(type: type, offset: position, bytes: Array(bytes[position..<end])))
            position = end
        }
    }
}
