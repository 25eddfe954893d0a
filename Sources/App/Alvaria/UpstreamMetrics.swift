import Foundation
import Metrics

/// What the app's calls to Alvaria cost and how they ended, for `/metrics`.
///
/// - `alvaria_requests_total{endpoint="token"|"context"|"outcome", outcome}`: every HTTP exchange
///   (a 401 answered by a new token and a retry counts twice). `outcome` is `ok` (2xx), the status
///   code for 4xx (`400`, `401`, `404`, `406`…), `5xx`, `other` (any other status), `timeout` or
///   `transport` (refused, reset, TLS…).
/// - `alvaria_request_duration_seconds{endpoint}`: a histogram of the same exchanges.
/// - `alvaria_token_refreshes_total{result="ok"|"failed"}`: each token request, whatever its
///   reason (first use, background refresh, after a 401); `failed` includes a 200 without a token.
struct UpstreamMetrics: Sendable {
    /// The three calls the app makes.
    enum Endpoint: String, Sendable {
        case token, context, outcome
    }

    let factory: any MetricsFactory

    /// Counts one exchange that got an answer with `status`.
    func record(_ endpoint: Endpoint, status: Int, started: ContinuousClock.Instant) {
        record(endpoint, outcome: Self.outcome(status: status), started: started)
    }

    /// Counts one exchange that got no answer.
    func record(_ endpoint: Endpoint, error: AlvariaError, started: ContinuousClock.Instant) {
        record(endpoint, outcome: Self.outcome(error), started: started)
    }

    /// The `outcome` label of an answered exchange (also on its trace span).
    static func outcome(status: Int) -> String {
        switch status {
        case 200..<300: "ok"
        case 400..<500: String(status)
        case 500..<600: "5xx"
        default: "other"
        }
    }

    /// The `outcome` label of an exchange that got no answer.
    static func outcome(_ error: AlvariaError) -> String {
        error == .timeout || error == .tokenService(.timeout) ? "timeout" : "transport"
    }

    /// Counts one token request by whether it gave a usable token.
    func recordRefresh(succeeded: Bool) {
        Counter(label: "alvaria_token_refreshes_total", dimensions: [("result", succeeded ? "ok" : "failed")], factory: factory).increment()
    }

    private func record(_ endpoint: Endpoint, outcome: String, started: ContinuousClock.Instant) {
        Counter(
            label: "alvaria_requests_total",
            dimensions: [("endpoint", endpoint.rawValue), ("outcome", outcome)],
            factory: factory
        )
        .increment()
        CoreMetrics.Timer(label: "alvaria_request_duration_seconds", dimensions: [("endpoint", endpoint.rawValue)], factory: factory)
            .record(duration: ContinuousClock.now - started)
    }
}
