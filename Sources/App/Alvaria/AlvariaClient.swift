public import AlvariaModels
public import AsyncHTTPClient
import Foundation
public import Logging
public import Metrics
import NIOCore
import NIOHTTP1

/// The Disposable App API of Alvaria's CX API v2: get a session's context, post its outcome.
///
/// Every call carries `Authorization: Bearer`, `x-api-key` and `Accept: application/json`.
/// A 401 invalidates the token, refreshes it once and retries once. Failures come back as
/// ``AlvariaError`` so callers can tell final answers (400, 404) from retryable ones.
/// Each exchange is counted in ``UpstreamMetrics`` (`alvaria_requests_total{endpoint="context"|"outcome"}`).
/// At most `maxConcurrentCalls` calls are in flight at once; a call that would queue for longer
/// than `queueTimeout` fails with the retryable ``AlvariaError/overloaded``.
public struct AlvariaClient: Sendable {
    let httpClient: HTTPClient
    let tokens: TokenProvider
    let endpoints: AlvariaEndpoints
    let orgId: String
    let apiKey: String
    let requestTimeout: Duration
    let metrics: UpstreamMetrics
    /// Shared by every copy of the client: page loads and the deliverer draw from one pool.
    let gate: UpstreamGate
    let queueTimeout: Duration

    /// The most of an answer the client reads: a context is a few kilobytes.
    static let maxResponseSize = 1024 * 1024

    /// Shared by every call: neither holds state between calls.
    private static let encoder = JSONEncoder()
    private static let decoder = JSONDecoder()
    /// The orgId as a path segment, encoded once.
    private let orgPath: String

    public init(
        httpClient: HTTPClient,
        tokens: TokenProvider,
        endpoints: AlvariaEndpoints,
        orgId: String,
        apiKey: String,
        requestTimeout: Duration,
        metricsFactory: any MetricsFactory,
        maxConcurrentCalls: Int = 32,
        queueTimeout: Duration = .seconds(2)
    ) {
        self.httpClient = httpClient
        self.tokens = tokens
        self.endpoints = endpoints
        self.orgId = orgId
        orgPath = PercentEncoding.encode(orgId)
        self.apiKey = apiKey
        self.requestTimeout = requestTimeout
        self.metrics = UpstreamMetrics(factory: metricsFactory)
        gate = UpstreamGate(limit: maxConcurrentCalls)
        self.queueTimeout = queueTimeout
    }

    /// `GET …/disposableApp/context?sessionId=S`.
    public func context(for sessionId: SessionID, logger: Logger) async throws(AlvariaError) -> DisposableAppContext {
        let data = try await call(.GET, .context, sessionId: sessionId, body: nil, logger: logger)
        guard let context = try? Self.decoder.decode(DisposableAppContext.self, from: data) else {
            throw .invalidResponse(reason: "the context is not a disposableAppContext")
        }
        return context
    }

    /// `POST …/disposableApp/outcome?sessionId=S`; returns when Alvaria answered 204.
    public func postOutcome(_ variables: [OutcomeVariable], for sessionId: SessionID, logger: Logger) async throws(AlvariaError) {
        let body: Data
        do {
            body = try Self.encoder.encode(DisposableAppOutcome(variables: variables))
        } catch {
            throw .invalidResponse(reason: "outcome not encodable")
        }
        _ = try await call(.POST, .outcome, sessionId: sessionId, body: body, logger: logger)
    }

    private func call(
        _ method: HTTPMethod,
        _ endpoint: UpstreamMetrics.Endpoint,
        sessionId: SessionID,
        body: Data?,
        logger: Logger
    ) async throws(AlvariaError) -> Data {
        let url = url(endpoint, sessionId: sessionId)
        guard await gate.acquire(timeout: queueTimeout) else { throw .overloaded }
        defer { gate.release() }
        let started = ContinuousClock.now
        var token = try await tokens.accessToken()
        var (status, data) = try await send(method, url, token: token, body: body, endpoint: endpoint)
        if status == 401 {
            await tokens.invalidate(token)
            token = try await tokens.accessToken()
            (status, data) = try await send(method, url, token: token, body: body, endpoint: endpoint)
        }
        logger.debug(
            "Alvaria call",
            metadata: [
                "alvaria.call": "\(endpoint.rawValue)",
                "alvaria.status": "\(status)",
                "alvaria.duration": "\(ContinuousClock.now - started)",
            ]
        )
        return try Self.check(status: status, data: data)
    }

    /// `{apiBaseURL}/organizations/{orgId}/customerexperience/disposableApp/{endpoint}?sessionId=S`.
    func url(_ endpoint: UpstreamMetrics.Endpoint, sessionId: SessionID) -> String {
        let base = endpoints.apiBaseURL.absoluteString
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        return
            "\(trimmed)/organizations/\(orgPath)/customerexperience/disposableApp/\(endpoint.rawValue)?sessionId=\(PercentEncoding.encode(sessionId.rawValue))"
    }

    private func send(
        _ method: HTTPMethod,
        _ url: String,
        token: String,
        body: Data?,
        endpoint: UpstreamMetrics.Endpoint
    ) async throws(AlvariaError) -> (Int, Data) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "x-api-key", value: apiKey)
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        return try await UpstreamTracing.exchange(endpoint, method: method, url: url) { traceHeaders throws(AlvariaError) in
            request.headers.add(contentsOf: traceHeaders)
            let started = ContinuousClock.now
            do {
                let response = try await httpClient.execute(request, timeout: TimeAmount(requestTimeout))
                let buffer: ByteBuffer
                do {
                    buffer = try await response.body.collect(upTo: Self.maxResponseSize)
                } catch is NIOTooManyBytesError {
                    throw AlvariaError.responseTooLarge
                }
                metrics.record(endpoint, status: Int(response.status.code), started: started)
                return (Int(response.status.code), Data(buffer: buffer))
            } catch {
                let error = AlvariaError.classify(error)
                metrics.record(endpoint, error: error, started: started)
                throw error
            }
        }
    }

    static func check(status: Int, data: Data) throws(AlvariaError) -> Data {
        let errorBody = { try? JSONDecoder().decode(ErrorResponse.self, from: data) }
        switch status {
        case 200..<300: return data
        case 400: throw .badRequest(errorBody())
        case 401: throw .unauthorized
        case 404: throw .dialogNotFound(errorBody())
        case 406: throw .notAcceptable(errorBody())
        case 500..<600: throw .serverError(status: status, errorBody())
        default: throw .unexpectedStatus(status)
        }
    }
}
