import Hummingbird
import NIOCore
import Testing

@testable import App

/// The multipart reader on its own: what browsers send, what they never send, and every limit
/// enforced while the body arrives, in chunks of any size.
@Suite("Reading multipart/form-data")
struct MultipartBodyTests {
    static let boundary = "----formboundary7MA4YWxk"
    static let limits = MultipartBody.Limits(total: 4096, text: 512, parts: 8, fileSizes: ["photo": 1024])

    /// A body as a browser writes it: text values, then files (name, bytes, file name).
    static func body(_ values: [(String, String)], files: [(String, [UInt8], String)] = [], closed: Bool = true) -> [UInt8] {
        var body: [UInt8] = []
        for (name, value) in values {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for (name, bytes, filename) in files {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\n".utf8)
            body += Array("Content-Type: image/png\r\n\r\n".utf8) + bytes + Array("\r\n".utf8)
        }
        if closed { body += Array("--\(boundary)--\r\n".utf8) }
        return body
    }

    /// Reads `bytes` delivered in chunks of `chunk` bytes.
    static func read(
        _ bytes: [UInt8],
        chunk: Int = 7,
        limits: MultipartBody.Limits = limits
    ) async throws(MultipartBody.Failure)
        -> MultipartForm
    {
        let chunks = stride(from: 0, to: bytes.count, by: chunk).map { ByteBuffer(bytes: bytes[$0..<min($0 + chunk, bytes.count)]) }
        let stream = AsyncStream<ByteBuffer> { continuation in
            for chunk in chunks { continuation.yield(chunk) }
            continuation.finish()
        }
        return try await MultipartBody.read(RequestBody(asyncSequence: stream), boundary: boundary, limits: limits)
    }

    @Test("values and files come back as sent, whatever the chunking", arguments: [1, 7, 64, 10_000])
    func roundTrip(chunk: Int) async throws {
        let photo = (0..<600).map { UInt8($0 % 251) } + Array("\r\n--not-the-boundary\r\n".utf8)
        let form = try await Self.read(
            Self.body([("_token", "t.1"), ("description", "Dented\r\nbumper ✓")], files: [("photo", photo, "IMG_0001.jpg")]),
            chunk: chunk
        )
        #expect(form.values.map(\.0) == ["_token", "description"])
        #expect(form.values.last?.1 == "Dented\r\nbumper ✓")
        #expect(form.files.count == 1)
        #expect(form.files.first?.field == "photo")
        #expect(form.files.first?.bytes == photo)
    }

    @Test("no file chosen (an empty part with an empty name) is no file")
    func noFileChosen() async throws {
        let form = try await Self.read(Self.body([("a", "1")], files: [("photo", [], "")]))
        #expect(form.files.isEmpty)
        #expect(form.values.count == 1)
    }

    @Test("a file over its field's maxSize is marked, not kept, and the rest of the post is read")
    func fileOverItsLimit() async throws {
        let form = try await Self.read(Self.body([("a", "1")], files: [("photo", Array(repeating: 0x41, count: 1025), "big.jpg")]))
        #expect(form.files.count == 1)
        #expect(form.files.first?.bytes == nil)
        #expect(form.values.count == 1)
    }

    @Test("the whole post over its limit stops the reading")
    func postOverItsLimit() async throws {
        let bytes = Self.body([], files: [("photo", Array(repeating: 1, count: 1000), "a.jpg")] + Array(repeating: ("photo", [2], "b.jpg"), count: 4))
        let small = MultipartBody.Limits(total: 900, text: 512, parts: 8, fileSizes: ["photo": 1024])
        await #expect(throws: MultipartBody.Failure.tooLarge) { try await Self.read(bytes, limits: small) }
    }

    @Test("text values together are held to http.maxBodySize")
    func textOverItsLimit() async throws {
        await #expect(throws: MultipartBody.Failure.tooLarge) {
            try await Self.read(Self.body([("a", String(repeating: "x", count: 300)), ("b", String(repeating: "y", count: 300))]))
        }
    }

    @Test("1,000 parts are refused as too large")
    func tooManyParts() async throws {
        let values = (0..<1000).map { ("f\($0)", "v") }
        let limits = MultipartBody.Limits(total: 1 << 20, text: 1 << 20, parts: 30, fileSizes: [:])
        await #expect(throws: MultipartBody.Failure.tooLarge) { try await Self.read(Self.body(values), chunk: 4096, limits: limits) }
    }

    @Test("a part with dozens of headers is refused")
    func tooManyHeaders() async throws {
        var bytes = Array("--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"a\"\r\n".utf8)
        for index in 0..<40 { bytes += Array("X-Header-\(index): x\r\n".utf8) }
        bytes += Array("\r\nv\r\n--\(Self.boundary)--\r\n".utf8)
        await #expect(throws: MultipartBody.Failure.tooLarge) { try await Self.read(bytes) }
    }

    @Test("a post cut short, mid-part or before the closing boundary, is malformed")
    func truncated() async throws {
        let whole = Self.body([("a", "1")], files: [("photo", Array(repeating: 7, count: 300), "a.jpg")])
        for cut in [whole.count / 2, whole.count - 10] {
            await #expect(throws: MultipartBody.Failure.malformed) { try await Self.read(Array(whole.prefix(cut))) }
        }
        await #expect(throws: MultipartBody.Failure.malformed) { try await Self.read(Self.body([("a", "1")], closed: false)) }
    }

    @Test("a file under a name that is no file field, a part without a name, and text that is not UTF-8 are malformed")
    func malformedParts() async throws {
        await #expect(throws: MultipartBody.Failure.malformed) { try await Self.read(Self.body([], files: [("description", [1], "x.jpg")])) }
        let nameless = Array("--\(Self.boundary)\r\nContent-Disposition: form-data\r\n\r\nv\r\n--\(Self.boundary)--\r\n".utf8)
        await #expect(throws: MultipartBody.Failure.malformed) { try await Self.read(nameless) }
        var latin1 = Array("--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n".utf8)
        latin1 += [0x63, 0x61, 0x66, 0xE9] + Array("\r\n--\(Self.boundary)--\r\n".utf8)
        await #expect(throws: MultipartBody.Failure.malformed) { try await Self.read(latin1) }
    }

    @Test("file names with paths, quotes, CR/LF escapes and Unicode are read and dropped, never kept")
    func hostileFileNames() async throws {
        for name in [#"..\\..\\windows\\system32\\a.png"#, "../../etc/passwd", #"a\"b.png"#, "photo%0D%0AX-Injected: 1.png", "фото 📷.png"] {
            let form = try await Self.read(Self.body([], files: [("photo", [1, 2, 3], name)]))
            #expect(form.files.count == 1)
            #expect(form.files.first?.bytes == [1, 2, 3])
        }
    }

    @Test("the boundary comes from the content type, quoted or not, and nothing else is multipart")
    func boundaries() {
        #expect(MultipartBody.boundary(of: "multipart/form-data; boundary=abc") == "abc")
        #expect(MultipartBody.boundary(of: #"Multipart/Form-Data; charset=utf-8; boundary="a b""#) == "a b")
        #expect(MultipartBody.boundary(of: "multipart/form-data") == nil)
        #expect(MultipartBody.boundary(of: "multipart/form-data; boundary=") == nil)
        #expect(MultipartBody.boundary(of: "multipart/form-data; boundary=\(String(repeating: "x", count: 71))") == nil)
        #expect(MultipartBody.boundary(of: "multipart/mixed; boundary=abc") == nil)
        #expect(MultipartBody.boundary(of: "application/x-www-form-urlencoded") == nil)
    }

    @Test("Content-Disposition parameters: quoted with escapes, bare, any order")
    func contentDisposition() {
        let quoted = ContentDisposition(#"form-data; filename="a\"b.png"; name="photo""#)
        #expect(quoted.isFormData)
        #expect(quoted.name == "photo")
        #expect(quoted.filename == #"a"b.png"#)
        let bare = ContentDisposition("form-data; name=note")
        #expect(bare.name == "note")
        #expect(bare.filename == nil)
        #expect(!ContentDisposition("attachment; name=\"x\"").isFormData)
    }
}
