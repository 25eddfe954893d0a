import AlvariaModels
import AlvariaSimulator
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import App

/// The package root, for the committed forms, Public/ and the built binary.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// The app, configured as production would be (live mode) but pointed at a simulator on
/// loopback, with a real SQLite file in a fresh temporary folder.
struct TestApp: BrowserRequests, Sendable {
    let client: any TestClientProtocol
    let simulator: LiveSimulator
    let databasePath: String

    /// Environment a live deployment would set, aimed at the simulator.
    static func environment(simulator: LiveSimulator, databasePath: String, overrides: [String: String] = [:]) -> [String: String] {
        [
            "ALVARIA_MODE": "live",
            "ALVARIA_ORG_ID": "demo",
            "ALVARIA_CLIENT_ID": "demo",
            "ALVARIA_CLIENT_SECRET": "demo-secret",
            "ALVARIA_API_KEY": "demo-key",
            "ALVARIA_TOKEN_URL": "\(simulator.origin)/tokenservice/oauth2/access_token",
            "ALVARIA_API_BASE_URL": "\(simulator.origin)/via/v2",
            "SECURITY_SECRET": "test-secret-0123456789-0123456789-abcdef",
            "DATABASE_URL": "sqlite:\(databasePath)",
            "FORMS_DIRECTORY": packageRoot.appendingPathComponent("config/forms").path,
            "HTTP_PUBLIC_DIRECTORY": packageRoot.appendingPathComponent("Public").path,
            "HTTP_PORT": "0",
            "DELIVERY_BACKOFF_BASE": "20ms",
            "DELIVERY_BACKOFF_CAP": "100ms",
        ].merging(overrides) { $1 }
    }

    /// The configuration of ``run(overrides:logger:_:)`` on a PostgreSQL database instead of a
    /// SQLite file: every instance built from it shares one store.
    static func config(simulator: LiveSimulator, databaseURL: String) async throws -> AppConfig {
        try await AppConfig.load(
            configFile: packageRoot.appendingPathComponent("config/app.yaml").path,
            environment: environment(simulator: simulator, databasePath: "", overrides: ["DATABASE_URL": databaseURL])
        )
    }

    static func run<Value: Sendable>(
        overrides: [String: String] = [:],
        logger: Logger = quietLogger,
        _ body: @Sendable (TestApp) async throws -> Value
    ) async throws -> Value {
        try await LiveSimulator.run { simulator in
            let databasePath = try temporaryDirectory().appendingPathComponent("app.sqlite").path
            let config = try await AppConfig.load(
                configFile: packageRoot.appendingPathComponent("config/app.yaml").path,
                environment: environment(simulator: simulator, databasePath: databasePath, overrides: overrides)
            )
            let app = try await buildApplication(config: config, logger: logger)
            return try await app.test(.live) { client in
                try await body(TestApp(client: client, simulator: simulator, databasePath: databasePath))
            }
        }
    }

    static func encode(_ fields: [(String, String)]) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return fields.map {
            "\($0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($1.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }
        .joined(separator: "&")
    }

    static func token(in html: String) -> String? {
        guard let range = html.range(of: #"name="_token" value="([^"]+)""#, options: .regularExpression) else { return nil }
        return String(html[range].dropFirst(#"name="_token" value=""#.count).dropLast())
    }
}

/// Requests as a browser makes them, for the app over real HTTP (``TestApp``) or through its
/// router (``RouterTestApp``).
protocol BrowserRequests {
    var client: any TestClientProtocol { get }
}

extension BrowserRequests {
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: headers) { $0 }
    }

    /// Posts a urlencoded form as a same-origin browser page would.
    func post(
        _ uri: String,
        _ fields: [(String, String)],
        headers: HTTPFields = [HTTPField.Name("Sec-Fetch-Site")!: "same-origin"]
    ) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: TestApp.encode(fields))) { $0 }
    }

    /// Opens the form, then posts `fields` with the token the page carried.
    func submit(
        _ uri: String,
        _ fields: [(String, String)],
        headers: HTTPFields = [HTTPField.Name("Sec-Fetch-Site")!: "same-origin"]
    ) async throws -> TestResponse {
        let page = try await get(uri)
        #expect(page.status == .ok)
        let token = try #require(TestApp.token(in: page.text))
        return try await post(uri, [("_token", token)] + fields, headers: headers)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("disposable-app-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}
