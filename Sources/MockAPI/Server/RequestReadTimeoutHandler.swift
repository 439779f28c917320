import NIOCore
import NIOHTTPTypes

/// Bounds how long a client may take to send a request, so that slow or half-sent requests (slowloris, slow
/// POST) cannot hold connections and their descriptors: the first request head must be complete within
/// `headerTimeout` of the connection opening, and every request body within `bodyTimeout` of its head.
/// Between requests, and for later heads on a kept-alive connection, Hummingbird's idle timeout applies: its
/// clock restarts only on decoded request parts, and a half-sent head decodes to none.
final class RequestReadTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let headerTimeout: TimeAmount
    private let bodyTimeout: TimeAmount
    private var headerTimer: Scheduled<Void>?
    private var firstHeadReceived = false
    /// When the body being read must be complete; nil between requests.
    private var bodyDeadline: NIODeadline?
    /// At most one pending body check per connection, not one timer per request (ingest is a request per item).
    private var bodyTimer: Scheduled<Void>?

    init(headerTimeout: TimeAmount, bodyTimeout: TimeAmount) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armHeaderTimer(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
    }

    func channelActive(context: ChannelHandlerContext) {
        armHeaderTimer(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimers()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            firstHeadReceived = true
            headerTimer?.cancel()
            headerTimer = nil
            let deadline = NIODeadline.now() + bodyTimeout
            bodyDeadline = deadline
            if bodyTimer == nil { scheduleBodyCheck(context, at: deadline) }
        case .body:
            break
        case .end:
            bodyDeadline = nil
        }
        context.fireChannelRead(data)
    }

    private func armHeaderTimer(_ context: ChannelHandlerContext) {
        guard !firstHeadReceived, headerTimer == nil else { return }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        headerTimer = context.eventLoop.scheduleTask(in: headerTimeout) {
            loopBound.value.close(promise: nil)
        }
    }

    /// Closes the connection if the body being read at `deadline` is still being read; otherwise follows the
    /// current request's deadline, or stops until the next head.
    private func scheduleBodyCheck(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        bodyTimer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = loopBound.value
            handler.bodyTimer = nil
            guard let current = handler.bodyDeadline else { return }
            if current <= .now() {
                context.close(promise: nil)
            } else {
                handler.scheduleBodyCheck(context, at: current)
            }
        }
    }

    private func cancelTimers() {
        headerTimer?.cancel()
        headerTimer = nil
        bodyTimer?.cancel()
        bodyTimer = nil
    }
}
