import AlvariaModels
import Foundation
import Hummingbird

/// `POST /tokenservice/oauth2/access_token`: OAuth2 client credentials as Alvaria documents
/// them (form body, HTTP Basic client authentication, `realm` = organization).
struct TokenService: Sendable {
    let configuration: SimulatorConfiguration
    let state: SimulatorState

    /// The form fields of a token request; all optional so that a missing one gets its OAuth error.
    struct Form: Decodable {
        var grant_type: String?
        var scope: String?
        var realm: String?
    }

    func issue(_ request: Request, context: some RequestContext) async throws -> Response {
        state.count(.token)
        if state.consumeFailure(.token) {
            return JSONResponse.make(
                OAuthErrorResponse(error: "server_error", errorDescription: "Injected fault"),
                status: .internalServerError
            )
        }
        guard request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true else {
            return oauthError("invalid_request", "Content-Type must be application/x-www-form-urlencoded", .badRequest)
        }
        guard let (clientId, secret) = Self.basicCredentials(request.headers[.authorization]),
            clientId == configuration.clientId, secret == configuration.clientSecret
        else {
            var response = oauthError("invalid_client", "Client authentication failed", .unauthorized)
            response.headers[.wwwAuthenticate] = "Basic realm=\"tokenservice\""
            return response
        }
        let body = try await request.body.collect(upTo: 16 * 1024)
        guard let form = try? URLEncodedFormDecoder().decode(Form.self, from: String(buffer: body)) else {
            return oauthError("invalid_request", "Malformed form body", .badRequest)
        }
        guard form.grant_type == "client_credentials" else {
            return oauthError("unsupported_grant_type", "grant_type must be client_credentials", .badRequest)
        }
        let scopes = Set((form.scope ?? "").split(separator: " ").map(String.init))
        guard !scopes.isEmpty, scopes.isSubset(of: SimulatorConfiguration.grantableScopes) else {
            return oauthError("invalid_scope", "Unknown scope", .badRequest)
        }
        guard form.realm == configuration.orgId else {
            return oauthError("invalid_request", "Unknown realm", .badRequest)
        }
        let token = state.issueToken(lifetime: configuration.tokenLifetime)
        return JSONResponse.make(
            AccessTokenResponse(
                accessToken: token,
                scope: scopes.sorted().joined(separator: " "),
                tokenType: "Bearer",
                expiresIn: configuration.tokenLifetime
            )
        )
    }

    private func oauthError(_ code: String, _ description: String, _ status: HTTPResponse.Status) -> Response {
        JSONResponse.make(OAuthErrorResponse(error: code, errorDescription: description), status: status)
    }

    /// `Basic base64(id:secret)` → (id, secret).
    static func basicCredentials(_ header: String?) -> (String, String)? {
        guard let header, header.lowercased().hasPrefix("basic "),
            let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let decoded = String(data: data, encoding: .utf8),
            let colon = decoded.firstIndex(of: ":")
        else { return nil }
        return (String(decoded[..<colon]), String(decoded[decoded.index(after: colon)...]))
    }
}
