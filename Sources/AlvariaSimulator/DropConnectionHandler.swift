import HTTPTypes
import HummingbirdCore
import NIOCore
import NIOHTTPTypes

/// Closes the connection without an answer when a `dropNext` fault is pending — what a
/// crashed upstream or a broken network looks like to the client. It sits in the channel
/// pipeline because a route handler can only ever answer.
final class DropConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let state: SimulatorState
    private let droppablePrefixes: [String]
    private var dropping = false

    init(state: SimulatorState, droppablePrefixes: [String]) {
        self.state = state
        self.droppablePrefixes = droppablePrefixes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if dropping { return }
        if case .head(let head) = unwrapInboundIn(data),
            let path = head.path,
            droppablePrefixes.contains(where: { path.hasPrefix($0) }),
            state.consumeDrop()
        {
            dropping = true
            context.close(promise: nil)
            return
        }
        context.fireChannelRead(data)
    }
}
