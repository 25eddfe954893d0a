public import Hummingbird
public import NIOCore

/// Per-request state: who is asking, once the trusted proxies' word has been weighed.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer: the client itself, or the proxy in front.
    public let remoteAddress: SocketAddress?
    /// The client's address as the trusted proxies report it, else the peer's
    /// (set by ``ForwardedHeadersMiddleware``); for logs and rate limits.
    public var clientAddress: String?
    /// Runs the request's tasks on its connection's event loop (``EventLoopExecutorMiddleware``).
    let executor: EventLoopTaskExecutor?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        clientAddress = source.channel.remoteAddress?.ipAddress
        executor = EventLoopTaskExecutor(source.channel.eventLoop)
    }
}
