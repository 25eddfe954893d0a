import HTTPTypes
import Hummingbird
import NIOCore

/// The server span of each request, when `tracing.otlpEndpoint` is set (spans go to the tracer
/// the executable bootstrapped).
///
/// Hummingbird's `TracingMiddleware` names the span by the route pattern (`/f/{formId}`, never
/// the URL) and records `http.request.method`, `url.path`, `url.query`, `http.route`, the status,
/// `user_agent.original` and the peer's address and port (the proxy's, behind one). The query
/// carries the sessionId, which must never be recorded whole: its value is redacted
/// (`sessionId=REDACTED&lang=es`), as is a file link's signature (`sig`), which opens the file. `X-Request-Id` is recorded (request and response header) so
/// a span leads to its log line.
func serverTracingMiddleware<Context: RequestContext>() -> TracingMiddleware<Context> {
    TracingMiddleware(recordingHeaders: [HTTPField.Name("X-Request-Id")!], redactingQueryParameters: ["sessionId", "sig"])
}

/// Drops `traceparent`, `tracestate` and `baggage` from peers outside `http.trustedProxies`,
/// before the tracing middleware reads them: anyone else could hang our spans on a trace of
/// their choosing (and its sampling decision), or stuff baggage into every downstream call.
/// A proxy we trust passes on what its own tracing put there.
struct TraceContextFromTrustedProxiesOnly<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let trustedProxies: [IPAddressRange]

    static var headers: [HTTPField.Name] { [HTTPField.Name("traceparent")!, HTTPField.Name("tracestate")!, HTTPField.Name("baggage")!] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let trusted = context.remoteAddress?.ipAddress.map { peer in trustedProxies.contains { $0.contains(peer) } } ?? false
        guard !trusted, Self.headers.contains(where: { request.headers[$0] != nil }) else {
            return try await next(request, context)
        }
        var head = request.head
        for name in Self.headers { head.headerFields[name] = nil }
        return try await next(Request(head: head, body: request.body), context)
    }
}
