import HTTPTypes
import Hummingbird

/// Adds the security headers of DESIGN.md to every response: a strict Content-Security-Policy
/// (no inline script or style), `frame-ancestors` as configured, `Referrer-Policy: same-origin`
/// (the URL carries the sessionId, which must never reach another origin), `nosniff`, and HSTS
/// when the public URL is https.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    let contentSecurityPolicy: String
    /// Only when people reach us over https (`http.publicURL`): HSTS on plain http would be ignored or wrong.
    let strictTransportSecurity: Bool

    init(frameAncestors: String, strictTransportSecurity: Bool) {
        self.strictTransportSecurity = strictTransportSecurity
        contentSecurityPolicy = [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            // blob: for the thumbnail the script shows of a photo before it is uploaded.
            "img-src 'self' data: blob:",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors \(frameAncestors)",
        ].joined(separator: "; ")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        // An uploaded file carries its own, stricter policy (`sandbox`).
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = contentSecurityPolicy
        }
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[.xContentTypeOptions] = "nosniff"
        if strictTransportSecurity {
            response.headers[.strictTransportSecurity] = "max-age=31536000"
        }
        if response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}
