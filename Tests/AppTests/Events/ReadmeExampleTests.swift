import Foundation
import Testing

@testable import App

/// The README's Events section is checked against the app: its example request carries the
/// signature the signer makes, and its Python verification function, run as written by python3,
/// accepts what the signer signs and refuses what it must.
@Suite("The README's event examples")
struct ReadmeExampleTests {
    /// The repository's README.md, found from this file's path.
    static let readme: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
    }()

    /// The first fenced block of `language` in the README's `## Events` section.
    static func block(_ language: String) throws -> String {
        let section = try #require(readme.components(separatedBy: "\n## Events\n").dropFirst().first?.components(separatedBy: "\n## ").first)
        let afterFence = try #require(section.components(separatedBy: "```\(language)\n").dropFirst().first)
        return try #require(afterFence.components(separatedBy: "\n```").first)
    }

    @Test("the example request's signature is the one the signer makes with the example key")
    func exampleRequestIsSigned() throws {
        let lines = try Self.block("http").components(separatedBy: "\n")
        func header(_ name: String) throws -> String {
            try #require(lines.first { $0.hasPrefix("\(name): ") }).dropFirst(name.count + 2).description
        }
        let body = try #require(lines.last)
        let signer = try #require(WebhookSigner(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let timestamp = try #require(Int(try header("webhook-timestamp")))
        let id = try header("webhook-id")
        #expect(id.count == WebhookEvent.makeId().count, "the example id has the length of a real one")
        #expect(signer.signature(id: id, timestamp: timestamp, body: body) == (try header("webhook-signature")))
        // And the example body is shaped as the recorder shapes one.
        let made = try WebhookEvent(
            type: .stepCompleted,
            at: Date(timeIntervalSince1970: 1_765_152_000),
            sessionId: "dlg-42",
            formId: "claim",
            formVersion: "3",
            step: "incident"
        ).encoded()
        #expect(made == body)
    }

    @Test("the Python verification function accepts the signer's webhooks and refuses tampered, stale or foreign ones")
    func pythonExampleVerifies() throws {
        let code = try Self.block("python")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("readme-python-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try code.write(to: folder.appendingPathComponent("readme_verify.py"), atomically: true, encoding: .utf8)
        try """
        import json, sys
        from readme_verify import verify_webhook
        cases = json.load(sys.stdin)
        print(json.dumps([verify_webhook(c["secret"], c["headers"], c["body"].encode()) for c in cases]))
        """.write(to: folder.appendingPathComponent("driver.py"), atomically: true, encoding: .utf8)

        let signer = try #require(WebhookSigner(secret: EventFeed.secret))
        let body = try WebhookEvent(type: .formSubmitted, at: Date(), sessionId: "s-1", formId: "claim", formVersion: "3", step: nil).encoded()
        let id = WebhookEvent.makeId()
        let now = Int(Date().timeIntervalSince1970)
        func headers(timestamp: Int, signature: String? = nil) -> [String: String] {
            [
                "webhook-id": id, "webhook-timestamp": "\(timestamp)",
                "webhook-signature": signature ?? signer.signature(id: id, timestamp: timestamp, body: body),
            ]
        }
        let otherSecret = "whsec_" + Data((0..<32).map { UInt8(255 - $0) }).base64EncodedString()
        let cases: [[String: Any]] = [
            ["secret": EventFeed.secret, "headers": headers(timestamp: now), "body": body],
            ["secret": EventFeed.secret, "headers": headers(timestamp: now), "body": body.replacingOccurrences(of: "s-1", with: "s-2")],
            ["secret": EventFeed.secret, "headers": headers(timestamp: now - 600), "body": body],
            ["secret": otherSecret, "headers": headers(timestamp: now), "body": body],
            [
                "secret": EventFeed.secret,
                "headers": headers(timestamp: now, signature: "v1,AAAA " + signer.signature(id: id, timestamp: now, body: body)),
                "body": body,
            ],
        ]

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "driver.py"]
        process.currentDirectoryURL = folder
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: cases))
        try input.fileHandleForWriting.close()
        let answer = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let results = try #require(try JSONSerialization.jsonObject(with: answer) as? [Bool])
        #expect(results == [true, false, false, false, true])
    }
}
