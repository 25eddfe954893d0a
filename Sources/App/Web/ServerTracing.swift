import HTTPTypes
import Hummingbird

/// The server span of each request, when `tracing.otlpEndpoint` is set (spans go to the tracer
/// the executable bootstrapped).
///
/// Hummingbird's `TracingMiddleware` names the span by the route pattern (`/f/{formId}`, never
/// the URL) and records `http.request.method`, `url.path`, `url.query`, `http.route`, the status,
/// `user_agent.original` and the peer's address and port (the proxy's, behind one). The query
/// carries the sessionId, which must never be recorded whole: its value is redacted
/// (`sessionId=REDACTED&lang=es`). `X-Request-Id` is recorded (request and response header) so
/// a span leads to its log line.
func serverTracingMiddleware<Context: RequestContext>() -> TracingMiddleware<Context> {
    TracingMiddleware(recordingHeaders: [HTTPField.Name("X-Request-Id")!], redactingQueryParameters: ["sessionId"])
}
