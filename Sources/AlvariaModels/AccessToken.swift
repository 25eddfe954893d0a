/// The token service's answer to a client-credentials grant.
public struct AccessTokenResponse: Codable, Sendable, Equatable {
    public var accessToken: String
    public var scope: String?
    public var tokenType: String?
    /// Seconds; Alvaria issues 3599. Optional on the wire: a missing value is treated by the client.
    public var expiresIn: Int?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case scope
        case tokenType = "token_type"
        case expiresIn = "expires_in"
    }

    public init(accessToken: String, scope: String?, tokenType: String? = "Bearer", expiresIn: Int?) {
        self.accessToken = accessToken
        self.scope = scope
        self.tokenType = tokenType
        self.expiresIn = expiresIn
    }
}

/// An OAuth2 error answer from the token service (RFC 6749 §5.2), e.g. `invalid_client`.
public struct OAuthErrorResponse: Codable, Sendable, Equatable {
    public var error: String
    public var errorDescription: String?

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
    }

    public init(error: String, errorDescription: String? = nil) {
        self.error = error
        self.errorDescription = errorDescription
    }
}
