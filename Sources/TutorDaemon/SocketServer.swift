import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import TutorWire

#if canImport(Glibc)
import Glibc
#endif

/// Serves JSON-RPC over the daemon's Unix socket until graceful shutdown.
///
/// Each connection is checked against the daemon's own uid, framed into lines of at most 1 MiB,
/// and served by a non-throwing handler that runs up to `maxInFlight` requests at once. On graceful
/// shutdown the listener closes, every connection stops reading, in-flight requests finish (the
/// service group bounds how long), and the connections close.
public final class SocketServer: Service {
    public struct Settings: Sendable {
        public var socketPath: String
        public var maxConnections: Int
        public var maxInFlight: Int
        public var idleTimeout: Duration
        public var maximumLineBytes = JSONRPC.maximumLineBytes
    }

    private let settings: Settings
    private let router: Router
    private let logger: Logger
    private let onListening: @Sendable () -> Void
    private let openConnections = Atomic<Int>(0)
    /// Returns the heap to the system once a burst of connections has closed.
    private let trimmer = MemoryTrimmer(burst: 16)
    private let ownUID = getuid()

    public init(settings: Settings, router: Router, logger: Logger, onListening: @escaping @Sendable () -> Void = {}) {
        self.settings = settings
        self.router = router
        self.logger = logger
        self.onListening = onListening
    }

    /// An accepted connection before it is served. It holds the raw channel, with reading paused,
    /// rather than an `NIOAsyncChannel`: if shutdown drops it before it is served, nothing is left
    /// with an unfinished writer.
    struct Accepted: Sendable {
        var channel: any Channel
        var peer: PeerCredentials?
        var activity: ConnectionActivity

        /// Wraps the channel for async use and resumes reading; runs on the channel's event loop.
        func wrap() async throws -> NIOAsyncChannel<ConnectionInput, ByteBuffer> {
            let channel = self.channel
            return try await channel.eventLoop.submit {
                let wrapped = try NIOAsyncChannel<ConnectionInput, ByteBuffer>(wrappingChannelSynchronously: channel)
                try channel.syncOptions?.setOption(.autoRead, value: true)
                channel.read()
                return wrapped
            }.get()
        }
    }

    public func run() async throws {
        let maximumLineBytes = settings.maximumLineBytes
        let maxInFlight = settings.maxInFlight
        let router = self.router
        // The socket file is created by bind(2) with the umask applied: make it 0600 from the first
        // instant (a chmod afterwards would leave a window). Nothing else creates files meanwhile.
        let previousMask = umask(0o177)
        defer { umask(previousMask) }
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 128)
            .bind(unixDomainSocketPath: settings.socketPath, cleanupExistingSocketFile: true) { channel in
                PeerCredentials.read(from: channel)
                    .map { Optional($0) }
                    .recover { _ in nil }
                    .flatMapThrowing { peer in
                        let activity = ConnectionActivity()
                        // Nothing is read until the connection is served (see `Accepted.wrap`).
                        try channel.syncOptions?.setOption(.autoRead, value: false)
                        try channel.pipeline.syncOperations.addHandlers(
                            ByteToMessageHandler(JSONLineFrameDecoder(maximumLineBytes: maximumLineBytes)),
                            ImmediateRequestHandler(router: router, activity: activity, maxInFlight: maxInFlight)
                        )
                        return Accepted(channel: channel, peer: peer, activity: activity)
                    }
            }
        umask(previousMask)
        // Owner-only in any case; the folder is 0700 as well.
        chmod(settings.socketPath, 0o600)
        logger.info("listening", metadata: ["socket.path": "\(settings.socketPath)"])
        onListening()

        // On shutdown, close the listener rather than abandoning the accept loop: connections NIO
        // already accepted are still handed over, served (they see the shutdown at once) and closed
        // properly, instead of being dropped half-open.
        let listener = server.channel
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await accepted in inbound {
                        group.addTask { await self.serve(accepted) }
                    }
                }
                logger.info("stopped accepting connections; finishing in-flight requests")
            }
        } onGracefulShutdown: {
            listener.close(promise: nil)
        }
    }

    /// Serves one connection; never throws, logs its own errors.
    private func serve(_ accepted: Accepted) async {
        let count = openConnections.wrappingAdd(1, ordering: .relaxed).newValue
        trimmer.enter()
        defer {
            openConnections.wrappingSubtract(1, ordering: .relaxed)
            trimmer.leave()
            // A client that stopped reading left replies queued until it went: give the heap back.
            if accepted.activity.wasStalled { MemoryTrimmer.trimHeap() }
        }
        var connectionLogger = self.logger
        connectionLogger[metadataKey: "peer.pid"] = "\(accepted.peer?.pid ?? -1)"
        let logger = connectionLogger
        do {
            let connection = try await accepted.wrap()
            try await connection.executeThenClose { inbound, outbound in
                let writer = LineWriter(outbound: outbound)
                guard let peer = accepted.peer, peer.uid == ownUID else {
                    logger.warning("refused a connection from another user", metadata: ["peer.uid": "\(accepted.peer?.uid ?? 0)"])
                    await writer.write(
                        Router.errorLine(
                            id: nil,
                            RPCError(
                                code: RPCError.forbiddenCode,
                                message:
                                    "Permission denied: this tutord serves only its owner (uid \(ownUID)). Run your own daemon with `tutor status`."
                            )))
                    return
                }
                guard count <= settings.maxConnections else {
                    logger.warning("refused a connection over the limit", metadata: ["connections.max": "\(settings.maxConnections)"])
                    await writer.write(
                        Router.errorLine(
                            id: nil,
                            RPCError(
                                code: RPCError.busyCode,
                                message:
                                    "Too many connections: tutord serves at most \(settings.maxConnections) at once. Close other `tutor` sessions or raise daemon.max_connections."
                            )))
                    return
                }
                logger.debug("connection opened")
                let activity = accepted.activity
                // Checks passed: quick methods may now be answered on the event loop.
                activity.accept()
                try await withThrowingTaskGroup(of: Void.self) { watchdogGroup in
                    watchdogGroup.addTask {
                        await self.closeWhenIdle(accepted.channel, activity: activity, writer: writer, logger: logger)
                    }
                    try await withThrowingDiscardingTaskGroup { requests in
                        for try await frame in inbound.cancelOnGracefulShutdown() {
                            activity.touch()
                            switch frame {
                            case .frame(.oversized(let bytes)):
                                await writer.write(
                                    Router.errorLine(
                                        id: nil,
                                        .invalidRequest(
                                            "the line is over \(settings.maximumLineBytes) bytes (1 MiB) (received \(bytes) bytes before cutting it off); send smaller requests"
                                        )))
                            case .request, .frame(.line):
                                guard activity.begin(limit: settings.maxInFlight) else {
                                    let id = frame.requestID
                                    await writer.write(
                                        Router.errorLine(
                                            id: id,
                                            RPCError(
                                                code: RPCError.busyCode,
                                                message:
                                                    "Too many requests in flight on this connection (limit \(settings.maxInFlight)); wait for replies before sending more."
                                            )))
                                    continue
                                }
                                requests.addTask {
                                    defer { activity.end() }
                                    let makeContext = { (id: RequestID?) in
                                        var requestLogger = logger
                                        if let id { requestLogger[metadataKey: "rpc.id"] = "\(id)" }
                                        return RequestContext(id: id, logger: requestLogger) { await writer.write($0) }
                                    }
                                    let response: [UInt8]?
                                    switch frame {
                                    case .request(let head): response = await self.router.respond(to: head, context: makeContext)
                                    case .frame(.line(let buffer)):
                                        response = await self.router.respond(to: Array(buffer.readableBytesView), context: makeContext)
                                    case .frame(.oversized): response = nil
                                    }
                                    if let response { await writer.write(response) }
                                }
                            }
                        }
                        // The client went away (Ctrl-C in `tutor chat`, a killed script): nobody can read
                        // the answers, so cancel what it started. On shutdown, in-flight work finishes.
                        if !Task.isShuttingDownGracefully {
                            requests.cancelAll()
                        }
                    }
                    watchdogGroup.cancelAll()
                }
                logger.debug("connection closed")
            }
        } catch {
            logger.debug("connection ended with an error", metadata: ["error": "\(error)"])
        }
    }

    /// Closes the channel once it has had no request in flight and no input for `idleTimeout`, or
    /// once its client has read nothing of what it was sent for `idleTimeout` (no notice then: the
    /// client is not reading).
    private func closeWhenIdle(
        _ channel: any Channel,
        activity: ConnectionActivity,
        writer: LineWriter,
        logger: Logger
    ) async {
        let timeout = settings.idleTimeout
        let tick = min(max(timeout / 4, .milliseconds(50)), .seconds(5))
        while !Task.isCancelled {
            do { try await Task.sleep(for: tick) } catch { return }
            if activity.stalled(for: timeout) {
                logger.info("closing a connection whose client has stopped reading", metadata: ["idle.timeout": "\(timeout)"])
                channel.close(promise: nil)
                return
            }
            if activity.idle(for: timeout) {
                logger.debug("closing an idle connection")
                await writer.write(
                    Router.errorLine(
                        id: nil,
                        RPCError(
                            code: RPCError.idleTimeoutCode,
                            message: "Closing this connection after \(timeout) without requests; reconnect to go on."
                        )))
                channel.close(promise: nil)
                return
            }
        }
    }
}

/// Writes whole lines onto a connection. NIO's writer accepts writes from several tasks at once,
/// and each line is one buffer, so concurrent responses never interleave.
struct LineWriter: Sendable {
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    func write(_ line: [UInt8]) async {
        try? await outbound.write(ByteBuffer(bytes: line))
    }
}

/// When a connection last did something, how many of its requests are running, and whether it
/// passed the peer and capacity checks.
final class ConnectionActivity: Sendable {
    private let state = Mutex<(last: ContinuousClock.Instant, inFlight: Int)>((ContinuousClock.now, 0))
    private let accepted = Atomic<Bool>(false)
    /// Since when the channel's outbound queue has been over its high-water mark, if it is.
    private let unwritableSince = Mutex<ContinuousClock.Instant?>(nil)
    private let stalledOnce = Atomic<Bool>(false)

    func accept() { accepted.store(true, ordering: .releasing) }
    var isAccepted: Bool { accepted.load(ordering: .acquiring) }

    func touch() { state.withLock { $0.last = .now } }

    func begin(limit: Int) -> Bool {
        state.withLock { state in
            guard state.inFlight < limit else { return false }
            state.inFlight += 1
            return true
        }
    }

    func end() {
        state.withLock {
            $0.inFlight -= 1
            $0.last = .now
        }
    }

    /// Records the channel's writability (on its event loop, as it changes).
    func writabilityChanged(isWritable: Bool) {
        unwritableSince.withLock { $0 = isWritable ? nil : ($0 ?? .now) }
        if !isWritable { stalledOnce.store(true, ordering: .relaxed) }
    }

    /// Whether the client has read nothing for `timeout` while replies waited for it.
    func stalled(for timeout: Duration) -> Bool {
        unwritableSince.withLock { since in since.map { ContinuousClock.now - $0 >= timeout } ?? false }
    }

    /// Whether writes to this connection ever backed up.
    var wasStalled: Bool { stalledOnce.load(ordering: .relaxed) }

    func idle(for timeout: Duration) -> Bool {
        state.withLock { $0.inFlight == 0 && ContinuousClock.now - $0.last >= timeout }
    }
}

/// What a connection's async handler receives: a request the event loop has already read, or a
/// frame it passed on as it came (a line before the connection's checks passed, an oversized line).
enum ConnectionInput: Sendable {
    case request(RequestHead)
    case frame(InboundFrame)

    /// The id of the request, if one can be read; used to address errors for requests never run.
    var requestID: RequestID? {
        switch self {
        case .request(let head): return head.id
        case .frame(.line(let buffer)):
            if case .success(let head) = WireCodec.decodeRequest(Array(buffer.readableBytesView)) { return head.id }
            return nil
        case .frame(.oversized): return nil
        }
    }
}

/// Answers immediate methods (see ``Router/registerImmediate(_:_:)``) and malformed lines right on
/// the event loop, without the hops into Swift concurrency that an async request costs; every other
/// line goes on to the connection's async handler. It serves nothing until the connection has
/// passed its peer and capacity checks.
///
/// An immediate reply counts against the connection's in-flight limit until the kernel has taken
/// its bytes. When the client is not reading (the channel is over its high-water mark) or the limit
/// is reached, the line goes to the async handler instead: its writes wait for the channel to
/// drain, and while it waits, NIOAsyncChannel's inbound backpressure stops reading from the socket.
/// So what one connection can have queued is bounded (the limit's replies, the channel's high-water
/// mark, one read's lines), however fast it sends.
final class ImmediateRequestHandler: ChannelInboundHandler {
    typealias InboundIn = InboundFrame
    typealias InboundOut = ConnectionInput
    typealias OutboundOut = ByteBuffer

    private let router: Router
    private let activity: ConnectionActivity
    private let maxInFlight: Int

    init(router: Router, activity: ConnectionActivity, maxInFlight: Int) {
        self.router = router
        self.activity = activity
        self.maxInFlight = maxInFlight
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        guard activity.isAccepted, case .line(let buffer) = frame, context.channel.isWritable else {
            context.fireChannelRead(Self.wrapInboundOut(.frame(frame)))
            return
        }
        switch router.respondImmediately(to: Array(buffer.readableBytesView)) {
        case .request(let head):
            context.fireChannelRead(Self.wrapInboundOut(.request(head)))
        case .answered(let response):
            activity.touch()
            guard let line = response else { return }
            guard activity.begin(limit: maxInFlight) else {
                // At the limit: the async handler answers it, or refuses it, when it can write.
                context.fireChannelRead(Self.wrapInboundOut(.frame(frame)))
                return
            }
            let activity = self.activity
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.whenComplete { _ in activity.end() }
            context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(bytes: line)), promise: written)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        activity.writabilityChanged(isWritable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }
}
