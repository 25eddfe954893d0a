import AlvariaModels
public import AsyncHTTPClient
import Foundation
public import Logging
public import Metrics
import NIOCore

/// Gets and caches OAuth2 client-credentials tokens from Alvaria's token service.
///
/// - A token is used until less than max(60 s, 10 % of its lifetime) remains (6 minutes for
///   Alvaria's 60-minute tokens); then one background refresh starts while callers keep the
///   cached token, so a slow token service never delays a page.
/// - Concurrent callers without a usable token share one request (single flight).
/// - If refreshing fails, the cached token is used until it truly expires, and background
///   refreshes back off exponentially (``RetryPolicy``: 1 s doubling to 60 s, with jitter).
/// - A missing `expires_in` counts as 5 minutes.
/// - Each token request is counted in ``UpstreamMetrics`` (`alvaria_requests_total{endpoint="token"}`
///   and `alvaria_token_refreshes_total{result}`).
public actor TokenProvider: AccessTokenSource {
    /// How to ask for a token.
    public struct Credentials: Sendable {
        public var clientId: String
        public var clientSecret: String
        public var scope: String
        /// The organization, sent as `realm`.
        public var realm: String

        public init(clientId: String, clientSecret: String, scope: String, realm: String) {
            self.clientId = clientId
            self.clientSecret = clientSecret
            self.scope = scope
            self.realm = realm
        }
    }

    struct Token: Sendable {
        let value: String
        let expiresAt: ContinuousClock.Instant
        let refreshAt: ContinuousClock.Instant
    }

    private let httpClient: HTTPClient
    private let endpoints: AlvariaEndpoints
    private let credentials: Credentials
    private let timeout: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let logger: Logger
    private let metrics: UpstreamMetrics

    private var cached: Token?
    private var refreshing: Task<Token, any Error>?
    private var consecutiveFailures = 0
    private var nextBackgroundAttempt: ContinuousClock.Instant?

    /// - Parameter now: the clock; tests pass one they can move forward.
    public init(
        httpClient: HTTPClient,
        endpoints: AlvariaEndpoints,
        credentials: Credentials,
        timeout: Duration,
        logger: Logger,
        metricsFactory: any MetricsFactory,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.httpClient = httpClient
        self.endpoints = endpoints
        self.credentials = credentials
        self.timeout = timeout
        self.logger = logger
        self.now = now
        self.metrics = UpstreamMetrics(factory: metricsFactory)
    }

    /// A token good for at least the next request.
    public func accessToken() async throws(AlvariaError) -> String {
        let now = now()
        if let token = cached, now < token.expiresAt {
            if now >= token.refreshAt, refreshing == nil, nextBackgroundAttempt.map({ now >= $0 }) ?? true {
                _ = startRefresh()
            }
            return token.value
        }
        let task = refreshing ?? startRefresh()
        do {
            return try await task.value.value
        } catch {
            throw AlvariaError.classify(error)
        }
    }

    /// Forgets a token the API refused (401), so the next call gets a new one.
    public func invalidate(_ value: String) {
        if cached?.value == value { cached = nil }
    }

    /// The token of the refresh in flight (tests observe background refreshes with it).
    func waitForRefresh() async throws -> String {
        guard let refreshing else { throw AlvariaError.invalidResponse(reason: "no refresh in flight") }
        return try await refreshing.value.value
    }

    private func startRefresh() -> Task<Token, any Error> {
        let task = Task<Token, any Error> {
            defer { refreshing = nil }
            let started = now()
            do {
                let response = try await requestToken()
                let token = Self.token(from: response, obtainedAt: started)
                cached = token
                metrics.recordRefresh(succeeded: true)
                consecutiveFailures = 0
                nextBackgroundAttempt = nil
                logger.info(
                    "Access token obtained",
                    metadata: ["alvaria.token.expiresIn": "\(response.expiresIn.map(String.init) ?? "absent")"]
                )
                return token
            } catch {
                metrics.recordRefresh(succeeded: false)
                consecutiveFailures += 1
                let backoff = Self.backoff.delay(afterAttempts: consecutiveFailures)
                nextBackgroundAttempt = now() + backoff
                logger.warning(
                    "Access token request failed",
                    metadata: [
                        "alvaria.error": "\(AlvariaError.classify(error).reason)",
                        "alvaria.token.failures": "\(consecutiveFailures)",
                    ]
                )
                throw error
            }
        }
        refreshing = task
        return task
    }

    /// Lifetime → when to refresh: max(60 s, 10 %) before expiry, but never in the first half.
    static func token(from response: AccessTokenResponse, obtainedAt: ContinuousClock.Instant) -> Token {
        let lifetime = Duration.seconds(max(1, response.expiresIn ?? 300))
        let margin = max(Duration.seconds(60), lifetime / 10)
        let refreshAfter = max(lifetime - margin, lifetime / 2)
        return Token(value: response.accessToken, expiresAt: obtainedAt + lifetime, refreshAt: obtainedAt + refreshAfter)
    }

    /// The deliverer's backoff, with its own bounds: 1 s doubling to 60 s, full jitter so that
    /// instances don't line up.
    static let backoff = RetryPolicy(base: .seconds(1), cap: .seconds(60))

    private func requestToken() async throws(AlvariaError) -> AccessTokenResponse {
        let tokenURL = endpoints.tokenURL
        var request = HTTPClientRequest(url: tokenURL.absoluteString)
        request.method = .POST
        let basic = Data("\(credentials.clientId):\(credentials.clientSecret)".utf8).base64EncodedString()
        request.headers.add(name: "Authorization", value: "Basic \(basic)")
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        let form = [
            ("grant_type", "client_credentials"),
            ("scope", credentials.scope),
            ("realm", credentials.realm),
        ].map { "\($0)=\(PercentEncoding.encode($1))" }.joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: form))

        let (status, body) = try await UpstreamTracing.exchange(.token, method: .POST, url: tokenURL.absoluteString) {
            traceHeaders throws(AlvariaError) in
            request.headers.add(contentsOf: traceHeaders)
            let started = ContinuousClock.now
            do {
                let response = try await httpClient.execute(request, timeout: TimeAmount(timeout))
                let status = Int(response.status.code)
                let body = try await response.body.collect(upTo: 64 * 1024)
                metrics.record(.token, status: status, started: started)
                return (status, body)
            } catch {
                let error = AlvariaError.classify(error)
                metrics.record(.token, error: error, started: started)
                switch error {
                case .timeout: throw .tokenService(.timeout)
                case let other: throw .tokenService(.transport(reason: other.reason))
                }
            }
        }
        let data = Data(buffer: body)
        switch status {
        case 200:
            guard let token = try? JSONDecoder().decode(AccessTokenResponse.self, from: data), !token.accessToken.isEmpty else {
                throw .tokenService(.invalidResponse(reason: "200 without an access_token"))
            }
            return token
        case 400..<500:
            let oauth = try? JSONDecoder().decode(OAuthErrorResponse.self, from: data)
            throw .tokenService(.rejected(status: status, error: oauth?.error ?? "unknown_error", description: oauth?.errorDescription))
        case 500..<600:
            throw .tokenService(.serverError(status: status))
        default:
            throw .tokenService(.invalidResponse(reason: "status \(status)"))
        }
    }
}

/// Whatever hands out access tokens: the ``TokenProvider``, or a test's stand-in (readiness asks it).
public protocol AccessTokenSource: Sendable {
    func accessToken() async throws(AlvariaError) -> String
}
