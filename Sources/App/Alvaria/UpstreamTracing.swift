import Foundation
import NIOHTTP1
import Tracing

/// Client spans for the app's HTTP exchanges with Alvaria, children of whatever span is current:
/// the request's server span on a page load or submit, a delivery's span in the background.
/// Without a bootstrapped tracer (`tracing.otlpEndpoint` unset) they are no-ops.
///
/// A span is named `Alvaria token|context|outcome` and carries the endpoint, the method, Alvaria's
/// host and port, the status and the same `outcome` as `alvaria_requests_total`. Never the URL
/// (its query is the sessionId), a header, a body, or an error's text (Alvaria's messages may
/// quote the session): failures are recorded by their kind only, not with `recordError`.
enum UpstreamTracing {
    /// Runs one exchange in a client span; `operation` gets the W3C trace headers to send.
    static func exchange<Value: Sendable>(
        _ endpoint: UpstreamMetrics.Endpoint,
        method: HTTPMethod,
        url: String,
        isolation: isolated (any Actor)? = #isolation,
        _ operation: (_ traceHeaders: HTTPHeaders) async throws(AlvariaError) -> (status: Int, value: Value)
    ) async throws(AlvariaError) -> (status: Int, value: Value) {
        let result: Result<(status: Int, value: Value), AlvariaError> = await withSpan("Alvaria \(endpoint.rawValue)", ofKind: .client) {
            span in
            let server = URLComponents(string: url)
            span.updateAttributes { attributes in
                attributes["alvaria.endpoint"] = endpoint.rawValue
                attributes["http.request.method"] = method.rawValue
                attributes["server.address"] = server?.host
                attributes["server.port"] = server?.port
            }
            var traceHeaders = HTTPHeaders()
            InstrumentationSystem.instrument.inject(span.context, into: &traceHeaders, using: HTTPHeadersInjector())
            do throws(AlvariaError) {
                let answer = try await operation(traceHeaders)
                let outcome = UpstreamMetrics.outcome(status: answer.status)
                span.updateAttributes { attributes in
                    attributes["http.response.status_code"] = answer.status
                    attributes["alvaria.outcome"] = outcome
                }
                if outcome != "ok" {
                    span.attributes["error.type"] = String(answer.status)
                    span.setStatus(SpanStatus(code: .error))
                }
                return .success(answer)
            } catch {
                let outcome = UpstreamMetrics.outcome(error)
                span.updateAttributes { attributes in
                    attributes["alvaria.outcome"] = outcome
                    attributes["error.type"] = outcome
                }
                span.setStatus(SpanStatus(code: .error, message: outcome))
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// Writes `traceparent` (and whatever else the configured propagator uses) into request headers.
struct HTTPHeadersInjector: Injector {
    func inject(_ value: String, forKey key: String, into headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: key, value: value)
    }
}
