/// `limits.*`: what one client, or all of them together, may ask of the app and of Alvaria.
public struct LimitSettings: Sendable {
    /// Form page loads (GET) per client address per minute, also the burst; 0 disables.
    public var pageLoadsPerMinute: Int
    /// Form submits (POST) per client address per minute, also the burst; 0 disables.
    public var submitsPerMinute: Int
    /// Posts carrying files (`multipart/form-data`) per client address per minute, also the
    /// burst, on top of `submitsPerMinute`; 0 disables.
    public var uploadsPerMinute: Int
    /// Calls to Alvaria in flight at once, page loads and deliveries together.
    public var upstreamConcurrency: Int
    /// How long a call may wait for one of those slots before it fails as retryable (503 on a page).
    public var upstreamQueueTimeout: Duration

    init(_ values: inout ConfigValues) {
        pageLoadsPerMinute = values.int("limits.pageLoadsPerMinute", default: 60, range: 0...1_000_000)
        submitsPerMinute = values.int("limits.submitsPerMinute", default: 20, range: 0...1_000_000)
        uploadsPerMinute = values.int("limits.uploadsPerMinute", default: 10, range: 0...1_000_000)
        upstreamConcurrency = values.int("limits.upstreamConcurrency", default: 32, range: 1...10_000)
        upstreamQueueTimeout = values.duration("limits.upstreamQueueTimeout", default: .seconds(2), minimum: .zero)
    }
}
