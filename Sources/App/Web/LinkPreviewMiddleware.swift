import Hummingbird
import Metrics

/// Link previews and scanners read nothing: a `HEAD`, or a `GET` from a known preview or scanner
/// agent, gets a neutral page before anything else happens — no context fetch, no verification
/// attempt, no expiry start, no rate-limit charge against the person the link was sent to.
///
/// Messaging apps fetch a link to draw its card, and mail-security scanners open every link in a
/// message; both would otherwise fetch the person's data or start a link's clock.
struct LinkPreviewMiddleware<Context: RequestContext>: RouterMiddleware {
    private let agents: UserAgentMatcher
    let pages: PageLibrary
    let counter: @Sendable (String) -> Counter

    init(userAgents: [String], pages: PageLibrary, metricsFactory: any MetricsFactory) {
        agents = UserAgentMatcher(userAgents)
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
            guard let userAgent = request.headers[.userAgent], let known = agents.match(userAgent) else {
                return try await next(request, context)
            }
            agent = known
        default:
            return try await next(request, context)
        }
        counter(agent).increment()
        return pages.previewResponse(for: request)
    }
}

/// Finds the first of a list of agent names in a `User-Agent`, ignoring ASCII case, in one pass
/// over the header's bytes without copying it: every page load asks (lowercasing the header and
/// searching it once per name cost a page load about 20 µs of CPU).
struct UserAgentMatcher: Sendable {
    /// Per name: its bytes, lowercased, and the name as written.
    private let names: [(bytes: [UInt8], label: String)]
    /// Lowercased first byte -> indexes into `names`.
    private let byFirstByte: [UInt8: [Int]]

    init(_ agents: [String]) {
        let names = agents.map { (bytes: Array($0.utf8).map(Self.lowercased), label: $0) }.filter { !$0.bytes.isEmpty }
        self.names = names
        byFirstByte = Dictionary(grouping: names.indices) { names[$0].bytes[0] }
    }

    /// The name as written of the first agent found, or nil.
    func match(_ userAgent: String) -> String? {
        var userAgent = userAgent
        return userAgent.withUTF8 { bytes -> String? in
            for start in bytes.indices {
                guard let candidates = byFirstByte[Self.lowercased(bytes[start])] else { continue }
                for index in candidates where Self.matches(names[index].bytes, in: bytes, at: start) {
                    return names[index].label
                }
            }
            return nil
        }
    }

    private static func matches(_ name: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard bytes.count - start >= name.count else { return false }
        for offset in name.indices where lowercased(bytes[start + offset]) != name[offset] { return false }
        return true
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}
