import Forms
import Foundation
import Hummingbird
import HummingbirdTesting

@testable import App

/// The preview server's router on a forms folder, driven through Hummingbird's router test client.
struct PreviewTestApp: Sendable {
    let client: any TestClientProtocol
    /// The folder the preview reads.
    let directory: URL

    /// Runs `body` against a preview of a fresh copy of `config/forms` (plus `extra` files, by name,
    /// which replace shipped ones of the same name): the tests may edit it.
    static func run<Value: Sendable>(
        extra: [String: String] = [:],
        shipped: Bool = true,
        _ body: @Sendable (PreviewTestApp) async throws -> Value
    ) async throws -> Value {
        let directory = try temporaryDirectory().appendingPathComponent("forms")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        if shipped {
            try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("config/forms"), to: directory)
        } else {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        for (name, text) in extra {
            try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        }
        let folder = PreviewFolder(directory: directory.path, messages: try MessageCatalog.bundled(), branding: Branding())
        let router = buildPreviewRouter(folder: folder, publicDirectory: packageRoot.appendingPathComponent("Public").path, logger: quietLogger)
        return try await Application(router: router, logger: quietLogger).test(.router) { client in
            try await body(PreviewTestApp(client: client, directory: directory))
        }
    }

    func get(_ path: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .get)
    }

    func post(_ path: String, _ fields: [(String, String)]) async throws -> TestResponse {
        let body = fields.map { "\(PercentEncoding.encode($0.0))=\(PercentEncoding.encode($0.1))" }.joined(separator: "&")
        return try await client.execute(
            uri: path,
            method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body)
        )
    }

    /// Replaces a form file of the folder.
    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }
}

/// The shipped forms, as the preview tests read them.
enum ShippedForms {
    static var directory: String { packageRoot.appendingPathComponent("config/forms").path }

    /// Their file names: the ids of the forms they hold.
    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    static func catalog() throws -> FormCatalog {
        try FormCatalog.load(directory: directory)
    }
}
