import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request has not fully arrived `deadline` after its head.
///
/// The server's idle timeout counts only the time between reads: a client sending one body byte
/// every few seconds keeps a connection, and its request, open for as long as it likes. Hundreds
/// of them hold the server's memory and connections without nginx in front. This counts the
/// whole request, head to end.
final class RequestDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let deadline: TimeAmount
    private let logger: Logger
    private var timer: Scheduled<Void>?

    init(deadline: TimeAmount, logger: Logger) {
        self.deadline = deadline
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            timer?.cancel()
            let channel = context.channel
            let (logger, deadline) = (logger, deadline)
            timer = context.eventLoop.scheduleTask(in: deadline) {
                logger.notice("Request body too slow: connection closed", metadata: ["http.bodyTimeout": "\(deadline)"])
                channel.close(promise: nil)
            }
        case .end:
            timer?.cancel()
            timer = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }
}
