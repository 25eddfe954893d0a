import HTTPTypes
import Hummingbird
import Logging

/// One log line per request: id, method, route (never the raw URL, which carries the
/// sessionId), status and duration. The request id is echoed in `X-Request-Id`.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let route = { context.endpointPath ?? "unmatched" }
        do {
            var response = try await next(request, context)
            response.headers[HTTPField.Name("X-Request-Id")!] = context.id
            log(context, request, route(), Int(response.status.code), started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log(context, request, route(), Int(status), started)
            throw error
        }
    }

    private func log(_ context: Context, _ request: Request, _ route: String, _ status: Int, _ started: ContinuousClock.Instant) {
        context.logger.info(
            "Request",
            metadata: [
                "http.method": "\(request.method.rawValue)",
                "http.route": "\(route)",
                "http.status": "\(status)",
                "http.duration_ms": "\(Self.milliseconds(ContinuousClock.now - started))",
            ]
        )
    }

    /// Milliseconds with one decimal, rounded ("12.3"), in integers rather than with Foundation's
    /// `String(format:)` on every request.
    static func milliseconds(_ elapsed: Duration) -> String {
        let (seconds, attoseconds) = elapsed.components
        // 1e14 attoseconds are a tenth of a millisecond.
        let tenths = max(0, seconds * 10_000 + (attoseconds + 50_000_000_000_000) / 100_000_000_000_000)
        return "\(tenths / 10).\(tenths % 10)"
    }
}
