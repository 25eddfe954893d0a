public import AlvariaModels

/// Why a call to Alvaria did not succeed, kept apart by what the caller must do about it: see
/// ``isRetryable``, the one rule the deliverer follows.
public enum AlvariaError: Error, Sendable, Equatable {
    /// 400: the request was refused; Alvaria's reasons are kept.
    case badRequest(ErrorResponse?)
    /// 401 even after one token refresh: the credentials or API key are wrong.
    case unauthorized
    /// 404: the dialog no longer exists on the cluster (the link expired).
    case dialogNotFound(ErrorResponse?)
    /// 406: Alvaria would not answer in JSON.
    case notAcceptable(ErrorResponse?)
    /// 5xx.
    case serverError(status: Int, ErrorResponse?)
    /// Any other status.
    case unexpectedStatus(Int)
    /// A 2xx whose body is not what the reference documents.
    case invalidResponse(reason: String)
    /// An answer larger than the client reads (``AlvariaClient/maxResponseSize``): no attempt will
    /// ever read it, so it is final.
    case responseTooLarge
    /// No complete answer within the request timeout.
    case timeout
    /// Connection refused, reset, closed without an answer, TLS failure…
    case transport(reason: String)
    /// No access token could be had.
    case tokenService(TokenServiceError)
    /// Not sent: too many calls were already in flight for the whole queue timeout.
    case overloaded

    /// False only for Alvaria's final word on this request: 400 (it will never accept these
    /// values) and 404 (the dialog is gone), and an answer too large for any attempt to read.
    /// Everything else may pass on a later attempt: 5xx, timeouts and network failures by
    /// themselves, and a 401, 406, token-service refusal or odd answer once an operator fixes
    /// the credentials or the endpoint, which must not cost a person's outcome meanwhile.
    public var isRetryable: Bool {
        switch self {
        case .badRequest, .dialogNotFound, .responseTooLarge: false
        case .unauthorized, .notAcceptable, .serverError, .unexpectedStatus, .invalidResponse, .timeout, .transport, .tokenService,
            .overloaded:
            true
        }
    }

    /// A short reason for logs and the outbox: never a token or a secret.
    public var reason: String {
        switch self {
        case .badRequest(let body): "400 bad request" + Self.detail(body)
        case .unauthorized: "401 unauthorized"
        case .dialogNotFound(let body): "404 dialog not found" + Self.detail(body)
        case .notAcceptable(let body): "406 not acceptable" + Self.detail(body)
        case .serverError(let status, let body): "\(status) server error" + Self.detail(body)
        case .unexpectedStatus(let status): "unexpected status \(status)"
        case .invalidResponse(let reason): "invalid response: \(reason)"
        case .responseTooLarge: "response larger than \(AlvariaClient.maxResponseSize / 1024 / 1024) MB"
        case .timeout: "timeout"
        case .transport(let reason): "transport error: \(reason)"
        case .tokenService(let error): "token service: \(error.reason)"
        case .overloaded: "too many concurrent upstream calls"
        }
    }

    private static func detail(_ body: ErrorResponse?) -> String {
        guard let body else { return "" }
        let reasons = (body.errors ?? []).compactMap { error in
            [error.scope, error.reason].compactMap { $0 }.joined(separator: " ")
        }
        return ": " + ([body.message] + reasons).joined(separator: "; ")
    }
}

/// Why the token service gave no token.
public enum TokenServiceError: Error, Sendable, Equatable {
    /// 4xx with an OAuth error, e.g. `invalid_client` (wrong id or secret) or `invalid_scope`.
    case rejected(status: Int, error: String, description: String?)
    case serverError(status: Int)
    case invalidResponse(reason: String)
    case timeout
    case transport(reason: String)

    public var reason: String {
        switch self {
        case .rejected(let status, let error, let description):
            "\(status) \(error)" + (description.map { " (\($0))" } ?? "")
        case .serverError(let status): "\(status) server error"
        case .invalidResponse(let reason): "invalid response: \(reason)"
        case .timeout: "timeout"
        case .transport(let reason): "transport error: \(reason)"
        }
    }
}
