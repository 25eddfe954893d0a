import AlvariaModels
import Forms
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import App

/// Uploads through the app's router with the committed fixtures: what is taken (and cleaned), what
/// is refused and why, a file kept across a validation error, and the signed links an Outcome carries.
@Suite("Photos and documents")
struct UploadTests {
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/files")
    static let context = #"{"form":"damage-photo","firstName":"Ana"}"#
    static let boundary = "----upload-test-boundary"

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    static func uri(_ sessionId: SessionID) -> String { "/f/damage-photo?sessionId=\(sessionId.rawValue)" }

    /// A multipart body as a browser writes it.
    static func multipart(_ values: [(String, String)], files: [(field: String, bytes: [UInt8], name: String)]) -> ByteBuffer {
        var body: [UInt8] = []
        for (name, value) in values {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for file in files {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\n".utf8)
            body += Array("Content-Type: image/png\r\n\r\n".utf8) + file.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return ByteBuffer(bytes: body)
    }

    /// Opens the form and posts it with `files`, the page's token and these answers.
    static func send(
        _ app: RouterTestApp,
        _ sessionId: SessionID,
        _ values: [(String, String)] = [("description", "Dent in the rear bumper"), ("damageDate", "2026-11-28")],
        files: [(field: String, bytes: [UInt8], name: String)]
    ) async throws -> TestResponse {
        let page = try await app.get(uri(sessionId))
        let token = try #require(TestApp.token(in: page.text))
        return try await post(app, sessionId, [("_token", token), ("_lang", "en")] + values, files: files)
    }

    static func post(
        _ app: RouterTestApp,
        _ sessionId: SessionID,
        _ values: [(String, String)],
        files: [(field: String, bytes: [UInt8], name: String)],
        body: ByteBuffer? = nil
    ) async throws -> TestResponse {
        try await app.client.execute(
            uri: uri(sessionId),
            method: .post,
            headers: [
                .contentType: "multipart/form-data; boundary=\(boundary)",
                HTTPField.Name("Sec-Fetch-Site")!: "same-origin",
            ],
            body: body ?? multipart(values, files: files)
        ) { $0 }
    }

    /// The path and query of a link the Outcome carries, to ask the router for it.
    static func path(of link: String) throws -> String {
        let url = try #require(URL(string: link))
        return url.path + "?" + (url.query ?? "")
    }

    @Test("the page posts multipart, and the file input asks for what the field accepts, the camera, and nothing it cannot use")
    func fileInputMarkup() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(Self.context)
            let page = try await app.get(Self.uri(sessionId))
            #expect(page.text.contains(#"enctype="multipart/form-data""#))
            let input = try #require(page.text.firstRange(of: #/<input type="file"[^>]*>/#).map { String(page.text[$0]) })
            #expect(
                input
                    == #"<input type="file" id="field-photo" name="photo" aria-describedby="field-photo-help" accept="image/jpeg,image/png" capture="environment">"#
            )
            let other = try await app.simulator.createDialog(#"{"form":"consent-capture"}"#)
            #expect(!(try await app.get("/f/consent-capture?sessionId=\(other.rawValue)").text.contains("enctype")))
        }
    }

    @Test("a photo with its GPS position comes back at its link without any metadata, served as content that can do nothing")
    func photoCleanedAndLinked() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(Self.context)
            let original = try Self.fixture("photo-gps.jpg")
            let sent = try await Self.send(app, sessionId, files: [("photo", original, "../../IMG_0001.JPG")])
            #expect(sent.status == .seeOther)
            let outcome = try #require(try await app.simulator.waitForOutcomes(sessionId).first)
            let link = try #require(outcome.first { $0.id == "photo" }?.value)
            #expect(link.hasPrefix("http://") && link.contains("/files/") && link.contains("?exp=") && link.contains("&sig="))
            #expect(!link.contains("IMG_0001"), "the uploaded name is never kept")

            let file = try await app.get(try Self.path(of: link))
            #expect(file.status == .ok)
            #expect(file.headers[.contentType] == "image/jpeg")
            #expect(file.headers[.contentSecurityPolicy] == "default-src 'none'; sandbox")
            #expect(file.headers[.xContentTypeOptions] == "nosniff")
            #expect(file.headers[.cacheControl] == "private, no-store")
            let disposition = try #require(file.headers[.contentDisposition])
            #expect(disposition.hasPrefix("inline; filename=\"photo-") && disposition.hasSuffix(".jpg\""))
            let cleaned = Array(file.body.readableBytesView)
            #expect(cleaned.starts(with: [0xFF, 0xD8, 0xFF]))
            #expect(cleaned.count < original.count)
            for marker in ["Exif", "GPS", "http://ns.adobe.com/xap"] {
                #expect(original.firstRange(of: Array(marker.utf8)) != nil, "the fixture carries \(marker)")
                #expect(cleaned.firstRange(of: Array(marker.utf8)) == nil, "\(marker) is still in the served photo")
            }
            let metrics = try PrometheusText(try await app.get("/metrics").text)
            #expect(metrics.value("files_accepted_total", ["form": "damage-photo"]) == 1)
            #expect(metrics.value("files_accepted_bytes_total", ["form": "damage-photo"]) == Double(cleaned.count))
        }
    }

    @Test(
        "content decides: spoofed, scripted, polyglot, damaged and empty files get the field's error, and nothing is stored",
        arguments: [
            ("html-named.png", "not a type this form accepts", "unknownType"),
            ("script.svg", "not a type this form accepts", "unknownType"),
            ("polyglot.pdf", "not a type this form accepts", "markup"),
            ("document.pdf", "not a type this form accepts", "notAccepted"),
            ("truncated.jpg", "incomplete or damaged", "truncated"),
            ("truncated.png", "incomplete or damaged", "truncated"),
            // Zero bytes are what a browser sends for "no file chosen": the field is still required.
            ("empty.png", "This field is required.", nil),
        ]
    )
    func refused(fixture: String, message: String, reason: String?) async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(Self.context)
            let page = try await Self.send(app, sessionId, files: [("photo", try Self.fixture(fixture), "photo.png")])
            #expect(page.status == .unprocessableContent)
            #expect(page.text.contains(message), "\(page.text)")
            #expect(page.text.contains(##"href="#field-photo""##))
            #expect(try await app.files.fileStats().count == 0)
            #expect(try await app.store.entries(state: nil, limit: 1).isEmpty)
            if let reason {
                let metrics = try PrometheusText(try await app.get("/metrics").text)
                #expect(metrics.value("files_refused_total", ["form": "damage-photo", "reason": reason]) == 1)
            }
        }
    }

    @Test("a photo sent with an error elsewhere is kept: the page lists it, and sending again without it uses it")
    func keptAcrossAValidationError() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(Self.context)
            let first = try await Self.send(
                app,
                sessionId,
                [("damageDate", "2026-11-28")],
                files: [("photo", try Self.fixture("photo-gps.jpg"), "a.jpg")]
            )
            #expect(first.status == .unprocessableContent)
            #expect(first.text.contains("Uploaded: JPEG photo"))
            let id = try #require(StepVisitor.hiddenValue("photo", in: first.text))
            #expect(id.count == 22)
            let token = try #require(TestApp.token(in: first.text))
            let again = try await Self.post(
                app,
                sessionId,
                [("_token", token), ("photo", id), ("description", "Dent"), ("damageDate", "2026-11-28")],
                files: [("photo", [], "")]
            )
            #expect(again.status == .seeOther)
            let outcome = try #require(try await app.simulator.waitForOutcomes(sessionId).first)
            #expect(outcome.first { $0.id == "photo" }?.value.contains("/files/\(id)?") == true)
            #expect(try await app.files.fileStats().count == 1, "stored once")
        }
    }

    @Test("another session's file id is no file of this one")
    func foreignIdIgnored() async throws {
        try await RouterTestApp.run { app in
            let owner = try await app.simulator.createDialog(Self.context)
            let first = try await Self.send(app, owner, [], files: [("photo", try Self.fixture("photo-gps.jpg"), "a.jpg")])
            let id = try #require(StepVisitor.hiddenValue("photo", in: first.text))
            let other = try await app.simulator.createDialog(Self.context)
            let page = try await app.get(Self.uri(other))
            let token = try #require(TestApp.token(in: page.text))
            let sent = try await Self.post(
                app,
                other,
                [("_token", token), ("photo", id), ("description", "Dent"), ("damageDate", "2026-11-28")],
                files: []
            )
            #expect(sent.status == .unprocessableContent)
            #expect(sent.text.contains("This field is required."))
            #expect(!sent.text.contains(id))
        }
    }

    @Test("a file over the field's maxSize gets its error; a post over http.maxUploadSize is 413; 1,000 parts are 413; a cut post is 400")
    func limits() async throws {
        try await RouterTestApp.run(overrides: ["HTTP_MAX_UPLOAD_SIZE": "12MB"]) { app in
            let sessionId = try await app.simulator.createDialog(Self.context)
            var big = try Self.fixture("photo-gps.jpg")
            big += Array(repeating: 0, count: 10 * 1024 * 1024 + 1 - big.count)
            let tooBig = try await Self.send(app, sessionId, files: [("photo", big, "big.jpg")])
            #expect(tooBig.status == .unprocessableContent)
            #expect(tooBig.text.contains("10 MB"))

            let overPost = try await Self.send(
                app,
                sessionId,
                [("description", String(repeating: "x", count: 1000))],
                files: [("photo", big + big, "x.jpg")]
            )
            #expect(overPost.status == .contentTooLarge)

            let page = try await app.get(Self.uri(sessionId))
            let token = try #require(TestApp.token(in: page.text))
            let parts = try await Self.post(app, sessionId, [("_token", token)] + (0..<1000).map { ("f\($0)", "v") }, files: [])
            #expect(parts.status == .contentTooLarge)
            var cut = Self.multipart([("_token", token)], files: [("photo", try Self.fixture("photo-gps.jpg"), "a.jpg")])
            cut = cut.getSlice(at: 0, length: cut.readableBytes - 40)!
            let truncated = try await Self.post(app, sessionId, [], files: [], body: cut)
            #expect(truncated.status == .badRequest)
            #expect(try await app.store.entries(state: nil, limit: 1).isEmpty)
        }
    }

    @Test("a link with a changed signature, id or expiry is 403; past its expiry or its file erased, 410")
    func linkChecks() async throws {
        try await RouterTestApp.run { app in
            let sessionId = try await app.simulator.createDialog(Self.context)
            _ = try await Self.send(app, sessionId, files: [("photo", try Self.fixture("photo-text.png"), "p.png")])
            let outcome = try #require(try await app.simulator.waitForOutcomes(sessionId).first)
            let path = try Self.path(of: try #require(outcome.first { $0.id == "photo" }?.value))
            #expect(try await app.get(path).status == .ok)
            let forged = [
                path.replacingOccurrences(of: "sig=", with: "sig=A"),
                path.replacingOccurrences(of: "exp=", with: "exp=9"),
                path.replacingOccurrences(of: "/files/", with: "/files/x"),
                String(path.prefix { $0 != "?" }),
            ]
            for link in forged {
                let page = try await app.get(link)
                #expect(page.status == .forbidden, "\(link)")
                #expect(page.text.contains("This link is not valid"))
            }
            // Erased by retention: gone, whatever the link says.
            let erased = try await app.files.purgeFiles(createdBefore: app.clock.now.addingTimeInterval(1))
            #expect(erased.count == 1)
            #expect(try await app.get(path).status == .gone)
            app.clock.advance(by: 7 * 86400 + 1)
            let expired = try await app.get(path)
            #expect(expired.status == .gone)
            #expect(expired.text.contains("This file is no longer available"))
        }
    }
}
