public import AlvariaModels
public import AlvariaSimulator
import Foundation
public import HTTPTypes
import Hummingbird
public import HummingbirdTesting
import Logging
import NIOCore

/// Runs the simulator on a real loopback port and talks to it over HTTP, as Alvaria's clients
/// would: shared by the simulator's own tests and the app's.
public func withSimulator<Value: Sendable>(
    _ configuration: SimulatorConfiguration = SimulatorConfiguration(port: 0),
    state: SimulatorState = SimulatorState(),
    _ body: @Sendable (any TestClientProtocol) async throws -> Value
) async throws -> Value {
    var configuration = configuration
    configuration.port = 0
    var logger = Logger(label: "simulator-test")
    logger.logLevel = .critical
    let app = buildSimulator(configuration: configuration, state: state, logger: logger)
    return try await app.test(.live, body)
}

public let demoBasic = "Basic " + Data("demo:demo-secret".utf8).base64EncodedString()
public let apiPath = "/via/v2/organizations/demo/customerexperience/disposableApp"

extension TestClientProtocol {
    /// A token from the simulator's token service, with the demo credentials.
    public func token(scope: String = "customerexperienceapi.disposableapp") async throws -> String {
        try await execute(
            uri: "/tokenservice/oauth2/access_token",
            method: .post,
            headers: [.authorization: demoBasic, .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "grant_type=client_credentials&scope=\(scope)&realm=demo")
        ) { response in
            try JSONDecoder().decode(AccessTokenResponse.self, from: Data(buffer: response.body)).accessToken
        }
    }

    /// Starts a dialog through the control API; returns its sessionId.
    public func createDialog(content: String, sessionId: String? = nil) async throws -> String {
        var json: [String: String] = ["content": content]
        json["sessionId"] = sessionId
        return try await execute(
            uri: "/simulator/dialogs",
            method: .post,
            headers: [.contentType: "application/json"],
            body: ByteBuffer(bytes: try JSONEncoder().encode(json))
        ) { response in
            guard response.status == .created else { throw HTTPError(response.status) }
            let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: String]
            return object?["sessionId"] ?? ""
        }
    }

    /// Injects faults through the control API (`{"failNextOutcome": 2}`, `{"latencyMs": 300}`…).
    public func setFaults(_ json: String) async throws {
        try await execute(
            uri: "/simulator/faults",
            method: .post,
            headers: [.contentType: "application/json"],
            body: ByteBuffer(string: json)
        ) { response in
            guard response.status == .ok else { throw HTTPError(response.status) }
        }
    }

    public func apiHeaders(token: String, accept: String = "application/json") -> HTTPFields {
        var headers: HTTPFields = [.authorization: "Bearer \(token)", .accept: accept]
        headers[HTTPField.Name("x-api-key")!] = "demo-key"
        return headers
    }
}

/// Alvaria's `ErrorResponse`, decoded from a test response.
public func errorResponse(_ response: TestResponse) throws -> ErrorResponse {
    try JSONDecoder().decode(ErrorResponse.self, from: Data(buffer: response.body))
}
