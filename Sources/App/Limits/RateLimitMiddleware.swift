import Hummingbird

/// Per-client rate limits on the form routes: page loads (GET, HEAD) and submits (POST) each
/// have their own bucket, so a person who loaded a page can still send it. Over the limit the
/// answer is 429 with the "too many attempts" page and `Retry-After` in whole seconds.
///
/// Added only to the form routes' group: health, readiness, metrics and static files are
/// never limited.
///
/// A multi-step form's script saves the step as the person leaves each field (`?autosave`):
/// those posts count as page loads, so that saving never uses up what Continue and Send need.
/// The form routes accept nothing but a save on such a post.
struct RateLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let pageLoads: TokenBucketLimiter
    let submits: TokenBucketLimiter
    /// Posts with files: each also takes a token here (`limits.uploadsPerMinute`).
    let uploads: TokenBucketLimiter
    /// Which client a request comes from (the peer address, or what a trusted proxy says).
    let clientKey: @Sendable (Request, Context) -> String
    let pages: PageLibrary

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let limiter: TokenBucketLimiter
        let kind: String
        switch request.method {
        case .get, .head: (limiter, kind) = (pageLoads, "pageLoads")
        case .post where request.uri.queryParameters["autosave"] != nil: (limiter, kind) = (pageLoads, "autosaves")
        case .post: (limiter, kind) = (submits, "submits")
        default: return try await next(request, context)
        }
        let client = clientKey(request, context)
        if case .limited(let retryAfter) = limiter.take(client) {
            return refuse(kind, retryAfter: retryAfter, request: request, context: context)
        }
        if request.method == .post, request.headers[.contentType]?.lowercased().hasPrefix("multipart/") == true,
            case .limited(let retryAfter) = uploads.take(client)
        {
            return refuse("uploads", retryAfter: retryAfter, request: request, context: context)
        }
        return try await next(request, context)
    }

    private func refuse(_ kind: String, retryAfter: Int, request: Request, context: Context) -> Response {
        context.logger.notice("Rate limit reached", metadata: ["limit.kind": "\(kind)", "limit.retryAfter": "\(retryAfter)"])
        return pages.response(for: StatusReply(.tooManyRequests, retryAfter: retryAfter), request: request)
    }
}
