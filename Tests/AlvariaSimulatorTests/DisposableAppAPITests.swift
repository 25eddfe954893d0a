import AlvariaModels
import AlvariaSimulator
import AlvariaSimulatorTesting
import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("The simulator's Disposable App API")
struct DisposableAppAPITests {
    @Test("answers a dialog's context as a disposableAppContext")
    func context() async throws {
        try await withSimulator { client in
            let token = try await client.token()
            let sessionId = try await client.createDialog(content: #"{"firstName":"Ana"}"#)
            try await client.execute(uri: "\(apiPath)/context?sessionId=\(sessionId)", method: .get, headers: client.apiHeaders(token: token)) {
                response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let context = try JSONDecoder().decode(DisposableAppContext.self, from: Data(buffer: response.body))
                #expect(context.kind == "cxp#disposableAppContext")
                #expect(context.content == #"{"firstName":"Ana"}"#)
            }
        }
    }

    @Test("refuses calls without a valid Bearer token or API key with 401 and no body")
    func unauthorized() async throws {
        try await withSimulator { client in
            let token = try await client.token()
            let sessionId = try await client.createDialog(content: "x")
            let uri = "\(apiPath)/context?sessionId=\(sessionId)"
            var noKey = client.apiHeaders(token: token)
            noKey[HTTPField.Name("x-api-key")!] = nil
            var wrongKey = client.apiHeaders(token: token)
            wrongKey[HTTPField.Name("x-api-key")!] = "other"
            for headers in [client.apiHeaders(token: "forged"), noKey, wrongKey, [.accept: "application/json"]] {
                try await client.execute(uri: uri, method: .get, headers: headers) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.body.readableBytes == 0)
                }
            }
        }
    }

    @Test("refuses a token that has expired")
    func expiredToken() async throws {
        try await withSimulator { client in
            let token = try await client.token()
            let sessionId = try await client.createDialog(content: "x")
            try await client.setFaults(#"{"expireTokens": true}"#)
            try await client.execute(uri: "\(apiPath)/context?sessionId=\(sessionId)", method: .get, headers: client.apiHeaders(token: token)) {
                #expect($0.status == .unauthorized)
            }
            let fresh = try await client.token()
            try await client.execute(uri: "\(apiPath)/context?sessionId=\(sessionId)", method: .get, headers: client.apiHeaders(token: fresh)) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test(
        "answers 406 with an ErrorResponse unless JSON or XML is acceptable",
        arguments: [("text/html", true), ("application/json", false), ("application/xml", false), ("*/*", false)]
    )
    func notAcceptable(accept: String, refused: Bool) async throws {
        try await withSimulator { client in
            let token = try await client.token()
            let sessionId = try await client.createDialog(content: "x")
            try await client.execute(
                uri: "\(apiPath)/context?sessionId=\(sessionId)",
                method: .get,
                headers: client.apiHeaders(token: token, accept: accept)
            ) { response in
                #expect((response.status == .notAcceptable) == refused)
                if refused {
                    let body = try errorResponse(response)
                    #expect(body.code == 406)
                    #expect(body.errors?.first?.reason == "notAcceptable")
                }
            }
        }
    }

    @Test("answers 400 with an ErrorResponse when sessionId is missing")
    func missingSessionId() async throws {
        try await withSimulator { client in
            let token = try await client.token()
            for (method, resource) in [(HTTPRequest.Method.get, "context"), (.post, "outcome")] {
                try await client.execute(uri: "\(apiPath)/\(resource)", method: method, headers: client.apiHeaders(token: token)) { response in
                    #expect(response.status == .badRequest)
                    let error = try errorResponse(response)
                    #expect(error.code == 400)
                    #expect(error.errors?.first?.scope == "sessionId")
                }
            }
        }
    }

    @Test("answers 404 with an ErrorResponse for an unknown or ended dialog")
    func dialogNotFound() async throws {
        try await withSimulator { client in
            let token = try await client.token()
            try await client.execute(uri: "\(apiPath)/context?sessionId=nobody", method: .get, headers: client.apiHeaders(token: token)) { response in
                #expect(response.status == .notFound)
                let error = try errorResponse(response)
                #expect(error.code == 404)
            }
            let sessionId = try await client.createDialog(content: "x")
            try await client.execute(uri: "/simulator/dialogs/\(sessionId)", method: .delete) { #expect($0.status == .noContent) }
            try await client.execute(uri: "\(apiPath)/context?sessionId=\(sessionId)", method: .get, headers: client.apiHeaders(token: token)) {
                #expect($0.status == .notFound)
            }
            let outcome = ByteBuffer(string: #"{"kind":"cxp#disposableAppOutcome","variables":[]}"#)
            try await client.execute(
                uri: "\(apiPath)/outcome?sessionId=\(sessionId)",
                method: .post,
                headers: client.apiHeaders(token: token),
                body: outcome
            ) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test("accepts a good outcome with 204 and shows it on the dialog")
    func outcome() async throws {
        try await withSimulator { client in
            let token = try await client.token()
            let sessionId = try await client.createDialog(content: "x")
            let fixture = try Data(contentsOf: fixtureURL("outcome-request.json"))
            var headers = client.apiHeaders(token: token)
            headers[.contentType] = "application/json"
            try await client.execute(
                uri: "\(apiPath)/outcome?sessionId=\(sessionId)",
                method: .post,
                headers: headers,
                body: ByteBuffer(bytes: fixture)
            ) {
                #expect($0.status == .noContent)
            }
            try await client.execute(uri: "/simulator/dialogs/\(sessionId)", method: .get) { response in
                let dialog = try JSONDecoder.iso8601.decode(SimulatorState.Dialog.self, from: Data(buffer: response.body))
                #expect(dialog.outcomes.map(\.variables) == [[OutcomeVariable(id: "v1", value: "x")]])
            }
        }
    }

    @Test(
        "answers 400 with an ErrorResponse for a malformed outcome or a wrong kind",
        arguments: [
            "not json",
            #"{"kind":"cxp#somethingElse","variables":[]}"#,
            #"{"kind":"cxp#disposableAppOutcome","variables":[{"id":"","value":"x"}]}"#,
            #"{"kind":"cxp#disposableAppOutcome","variables":[{"id":"a","value":1}]}"#,
        ]
    )
    func malformedOutcome(body: String) async throws {
        try await withSimulator { client in
            let token = try await client.token()
            let sessionId = try await client.createDialog(content: "x")
            try await client.execute(
                uri: "\(apiPath)/outcome?sessionId=\(sessionId)",
                method: .post,
                headers: client.apiHeaders(token: token),
                body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .badRequest)
                let error = try errorResponse(response)
                #expect(error.code == 400)
            }
        }
    }

    @Test("fails the next N context and outcome calls with 500, then recovers")
    func injectedServerErrors() async throws {
        try await withSimulator { client in
            let token = try await client.token()
            let sessionId = try await client.createDialog(content: "x")
            try await client.setFaults(#"{"failNextContext": 2, "failNextOutcome": 1}"#)
            let uri = "\(apiPath)/context?sessionId=\(sessionId)"
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<3 {
                statuses.append(try await client.execute(uri: uri, method: .get, headers: client.apiHeaders(token: token)) { $0.status })
            }
            #expect(statuses == [.internalServerError, .internalServerError, .ok])
            let outcome = ByteBuffer(string: #"{"kind":"cxp#disposableAppOutcome","variables":[]}"#)
            let outcomeURI = "\(apiPath)/outcome?sessionId=\(sessionId)"
            #expect(
                try await client.execute(uri: outcomeURI, method: .post, headers: client.apiHeaders(token: token), body: outcome) { $0.status }
                    == .internalServerError
            )
            #expect(
                try await client.execute(uri: outcomeURI, method: .post, headers: client.apiHeaders(token: token), body: outcome) { $0.status }
                    == .noContent
            )
        }
    }

    @Test("closes the connection without an answer when told to drop the next call")
    func dropsConnection() async throws {
        try await withSimulator { client in
            let port = try #require(client.port)
            try await client.setFaults(#"{"dropNext": 1}"#)
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(apiPath)/context?sessionId=x")
            await #expect(throws: (any Error).self) {
                _ = try await http.execute(request, timeout: .seconds(5))
            }
            let response = try await http.execute(request, timeout: .seconds(5))
            #expect(response.status == .unauthorized)
            try await http.shutdown()
        }
    }

    @Test("adds the injected latency to API calls")
    func latency() async throws {
        try await withSimulator { client in
            try await client.setFaults(#"{"latencyMs": 300}"#)
            let started = ContinuousClock.now
            try await client.execute(uri: "\(apiPath)/context?sessionId=x", method: .get) { #expect($0.status == .unauthorized) }
            #expect(ContinuousClock.now - started >= .milliseconds(300))
        }
    }
}

extension JSONDecoder {
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

/// A payload copied from the vendor reference, in `Tests/Fixtures/alvaria`.
func fixtureURL(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/alvaria/\(name)")
}
