import Foundation
import HTTPTypes
import Hummingbird
import Metrics

/// Counts requests and times them, labelled by the router's endpoint path (`/f/{formId}`),
/// never by the raw URL: that carries the sessionId, and every distinct URL would be a new series.
///
/// - `http_requests_total{route, method, status}`
/// - `http_request_duration_seconds{route, method}`: a histogram, from the request to the response
///   handed to the server (bodies here are small and buffered, so that is nearly all of it)
///
/// Hummingbird's own `MetricsMiddleware` is not used: it reports to the global `MetricsSystem`
/// and names its series with dots, which Prometheus does not accept.
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let factory: any MetricsFactory

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context, status: Int(response.status.code), started: started)
            return response
        } catch {
            record(request, context, status: Int((error as? any HTTPResponseError)?.status.code ?? 500), started: started)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, status: Int, started: ContinuousClock.Instant) {
        // The router sets the endpoint path once a route matched; `NotFound` and `FileMiddleware`
        // otherwise; nothing when a middleware answered before routing.
        let route = context.endpointPath ?? "unmatched"
        // Methods a client may invent are folded into `other`, so that they cannot add series.
        let method =
            switch request.method {
            case .get, .head, .post, .put, .patch, .delete, .options: request.method.rawValue
            default: "other"
            }
        Counter(
            label: "http_requests_total",
            dimensions: [("route", route), ("method", method), ("status", String(status))],
            factory: factory
        )
        .increment()
        CoreMetrics.Timer(label: "http_request_duration_seconds", dimensions: [("route", route), ("method", method)], factory: factory)
            .record(duration: ContinuousClock.now - started)
    }
}
