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
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info(
            "Request",
            metadata: [
                "http.method": "\(request.method.rawValue)",
                "http.route": "\(route)",
                "http.status": "\(status)",
                "http.duration_ms": "\(String(format: "%.1f", milliseconds))",
            ]
        )
    }
}
