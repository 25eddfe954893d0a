import AlvariaModels
import AlvariaSimulator
import AlvariaSimulatorTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("The simulator's token service")
struct TokenServiceTests {
    private func requestToken(
        _ client: any TestClientProtocol,
        authorization: String? = demoBasic,
        contentType: String = "application/x-www-form-urlencoded",
        body: String = "grant_type=client_credentials&scope=customerexperienceapi.disposableapp&realm=demo"
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: contentType]
        if let authorization { headers[.authorization] = authorization }
        return try await client.execute(
            uri: "/tokenservice/oauth2/access_token",
            method: .post,
            headers: headers,
            body: ByteBuffer(string: body)
        ) { $0 }
    }

    private func oauthError(_ response: TestResponse) throws -> String {
        try JSONDecoder().decode(OAuthErrorResponse.self, from: Data(buffer: response.body)).error
    }

    @Test("issues a Bearer token with the configured lifetime for good client credentials")
    func issuesToken() async throws {
        try await withSimulator(SimulatorConfiguration(tokenLifetime: 1234)) { client in
            let response = try await requestToken(client)
            #expect(response.status == .ok)
            let token = try JSONDecoder().decode(AccessTokenResponse.self, from: Data(buffer: response.body))
            #expect(token.tokenType == "Bearer")
            #expect(token.expiresIn == 1234)
            #expect(token.scope == "customerexperienceapi.disposableapp")
            #expect(token.accessToken.count >= 32)
        }
    }

    @Test("refuses a wrong client secret with 401 invalid_client")
    func wrongSecret() async throws {
        try await withSimulator { client in
            let wrong = "Basic " + Data("demo:nope".utf8).base64EncodedString()
            let response = try await requestToken(client, authorization: wrong)
            #expect(response.status == .unauthorized)
            #expect(try oauthError(response) == "invalid_client")
            #expect(response.headers[.wwwAuthenticate] != nil)
        }
    }

    @Test("refuses a request without client authentication")
    func missingAuthentication() async throws {
        try await withSimulator { client in
            let response = try await requestToken(client, authorization: nil)
            #expect(response.status == .unauthorized)
            #expect(try oauthError(response) == "invalid_client")
        }
    }

    @Test(
        "answers 400 with the OAuth error for a bad grant, scope, realm or content type",
        arguments: [
            ("grant_type=password&scope=customerexperienceapi&realm=demo", "application/x-www-form-urlencoded", "unsupported_grant_type"),
            ("grant_type=client_credentials&scope=everything&realm=demo", "application/x-www-form-urlencoded", "invalid_scope"),
            ("grant_type=client_credentials&realm=demo", "application/x-www-form-urlencoded", "invalid_scope"),
            ("grant_type=client_credentials&scope=customerexperienceapi&realm=other", "application/x-www-form-urlencoded", "invalid_request"),
            ("{\"grant_type\":\"client_credentials\"}", "application/json", "invalid_request"),
        ]
    )
    func badRequests(body: String, contentType: String, expected: String) async throws {
        try await withSimulator { client in
            let response = try await requestToken(client, contentType: contentType, body: body)
            #expect(response.status == .badRequest)
            #expect(try oauthError(response) == expected)
        }
    }

    @Test("grants the whole CX API scope too")
    func wholeScope() async throws {
        try await withSimulator { client in
            let response = try await requestToken(
                client,
                body: "grant_type=client_credentials&scope=customerexperienceapi&realm=demo"
            )
            #expect(response.status == .ok)
        }
    }

    @Test("fails the next token requests with 500 when told to")
    func injectedFailure() async throws {
        try await withSimulator { client in
            try await client.setFaults(#"{"failNextToken": 1}"#)
            #expect(try await requestToken(client).status == .internalServerError)
            #expect(try await requestToken(client).status == .ok)
        }
    }
}
