import Hummingbird
import Metrics

/// Link previews and scanners read nothing: a `HEAD`, or a `GET` from a known preview or scanner
/// agent, gets a neutral page before anything else happens — no context fetch, no verification
/// attempt, no expiry start, no rate-limit charge against the person the link was sent to.
///
/// Messaging apps fetch a link to draw its card, and mail-security scanners open every link in a
/// message; both would otherwise fetch the person's data or start a link's clock.
struct LinkPreviewMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Lowercased, with their names as written for the metric's label.
    private let agents: [(match: String, label: String)]
    let pages: PageLibrary
    let counter: @Sendable (String) -> Counter

    init(userAgents: [String], pages: PageLibrary, metricsFactory: any MetricsFactory) {
        agents = userAgents.map { ($0.lowercased(), $0) }
        self.pages = pages
        // One series per agent of the list (a bounded set) and one for HEAD.
        counter = { agent in Counter(label: "link_previews_total", dimensions: [("agent", agent)], factory: metricsFactory) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let agent: String
        switch request.method {
        case .head:
            agent = "HEAD"
        case .get:
            guard let userAgent = request.headers[.userAgent]?.lowercased(), let known = agents.first(where: { userAgent.contains($0.match) })
            else { return try await next(request, context) }
            agent = known.label
        default:
            return try await next(request, context)
        }
        counter(agent).increment()
        return pages.previewResponse(for: request)
    }
}
