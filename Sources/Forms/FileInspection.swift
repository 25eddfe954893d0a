/// What an uploaded file really is, decided by its bytes alone, and the file made fit to keep:
/// complete, without markup or active content, and for photos without the metadata a phone
/// writes into them (its GPS position, its make and model).
///
/// The name a person's browser sends and the type it declares are never asked: an HTML page
/// named `photo.png` is not a PNG. All work is linear in the file's size, without recursion,
/// and every length a file states is checked against what it holds before it is used, so a
/// hostile file costs one pass and is refused, never trapped on.
public enum FileInspection {
    /// An accepted file, cleaned: what may be stored and handed out.
    public struct Cleaned: Sendable, Equatable {
        /// What the bytes are (a JPEG, a PNG, a PDF): the `Content-Type` to serve them with.
        public let kind: FileKind
        /// The file without its metadata (photos); a PDF as it came.
        public let bytes: [UInt8]

        public init(kind: FileKind, bytes: [UInt8]) {
            self.kind = kind
            self.bytes = bytes
        }
    }

    /// Why a file was refused.
    public enum Refusal: String, Error, Sendable, CaseIterable {
        /// No bytes at all.
        case empty
        /// Not a JPEG, PNG or PDF by its first bytes, whatever it is called.
        case unknownType
        /// HTML, SVG or script in the file (a polyglot: a file that is also a web page), or
        /// active content in a PDF (JavaScript, launching programs).
        case markup
        /// Cut short or damaged: a length that runs past the end, a PNG checksum that does not
        /// match, a missing end marker.
        case truncated

        /// The problem to show next to the field: a file that is something else, or more than a
        /// photo or a document, is not a type the form accepts; an empty or cut one is damaged.
        public var fieldProblem: FieldProblem {
            switch self {
            case .unknownType, .markup: .fileType
            case .empty, .truncated: .fileDamaged
            }
        }
    }

    static let jpegSignature: [UInt8] = [0xFF, 0xD8, 0xFF]
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    static let pdfSignature = Array("%PDF-".utf8)

    /// The kind the first bytes say (magic numbers), nil for anything else. Never trusts a name
    /// or a declared type.
    public static func detect(_ bytes: some Collection<UInt8>) -> FileKind? {
        if bytes.starts(with: jpegSignature) { return .jpeg }
        if bytes.starts(with: pngSignature) { return .png }
        if bytes.starts(with: pdfSignature) { return .pdf }
        return nil
    }

    /// Checks an uploaded file completely and returns it cleaned: JPEG and PNG lose their
    /// metadata without re-encoding.
    ///
    /// In order: an empty file is `empty`; a file that is no JPEG, PNG or PDF by its first bytes
    /// is `unknownType`; one whose structure is incomplete is `truncated`; one with markup in
    /// what is kept (or in data appended after an image's end) is `markup`. See the README,
    /// "Files", for exactly what is removed.
    public static func inspect(_ bytes: [UInt8]) -> Result<Cleaned, Refusal> {
        guard !bytes.isEmpty else { return .failure(.empty) }
        guard let kind = detect(bytes) else { return .failure(.unknownType) }
        let parsed: Result<Parsed, Refusal> =
            switch kind {
            case .jpeg: JPEGCleaner.clean(bytes)
            case .png: PNGCleaner.clean(bytes)
            case .pdf: PDFChecker.check(bytes)
            }
        switch parsed {
        case .failure(let refusal):
            return .failure(refusal)
        case .success(let parsed):
            // Data after an image's end is dropped; a web page hidden there still refuses the file.
            if MarkupScanner.containsMarkup(parsed.bytes[...]) || MarkupScanner.containsMarkup(parsed.trailing) {
                return .failure(.markup)
            }
            if kind == .pdf, PDFChecker.hasActiveContent(parsed.bytes) {
                return .failure(.markup)
            }
            return .success(Cleaned(kind: kind, bytes: parsed.bytes))
        }
    }

    /// A structure read to its end marker: the bytes to keep, and whatever followed the end.
    struct Parsed {
        var bytes: [UInt8]
        var trailing: ArraySlice<UInt8>
    }
}

/// Finds web content in bytes: what a browser would take for an HTML or SVG document, a
/// script, or a `javascript:` link.
enum MarkupScanner {
    /// Tag names a browser acts on; matched only when a tag could end there (whitespace, `/`, `>`
    /// or the end), as an HTML parser and a browser's content sniffing read them. That also keeps
    /// a chance match in compressed image data (`<svg` is 4 bytes) improbable: about one 10 MB
    /// photo in 2,000 would hold `<svg` followed by such a byte by chance.
    static let tags = ["script", "html", "svg", "iframe", "body"].map { Array($0.utf8) }
    /// Matched anywhere, case aside.
    static let phrases = ["<!doctype", "javascript:"].map { Array($0.utf8) }

    /// Whether `bytes` hold, ASCII case aside, `<script`, `<html`, `<svg`, `<iframe`, `<body`
    /// (each as a tag), `<!doctype` or `javascript:`. One pass; each position compares at most
    /// a dozen bytes.
    static func containsMarkup(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = lowercased(bytes[index])
            if byte == UInt8(ascii: "<") {
                let name = index + 1
                for tag in tags where matches(tag, in: bytes, at: name) {
                    let end = name + tag.count
                    if end == bytes.endIndex || endsTag(bytes[end]) { return true }
                }
                if matches(phrases[0], in: bytes, at: index) { return true }
            } else if byte == UInt8(ascii: "j"), matches(phrases[1], in: bytes, at: index) {
                return true
            }
            index += 1
        }
        return false
    }

    /// `word` (lowercase) at `start`, ASCII case aside; false when it would run past the end.
    static func matches(_ word: [UInt8], in bytes: ArraySlice<UInt8>, at start: Int) -> Bool {
        guard start >= bytes.startIndex, bytes.endIndex - start >= word.count else { return false }
        for (offset, expected) in word.enumerated() where lowercased(bytes[start + offset]) != expected {
            return false
        }
        return true
    }

    /// Whitespace, `/` or `>`: where an HTML tag name ends.
    private static func endsTag(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x09, 0x0A, 0x0C, 0x0D, 0x20, UInt8(ascii: "/"), UInt8(ascii: ">"): true
        default: false
        }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 0x20 : byte
    }
}
