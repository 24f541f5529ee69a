import NIOCore
import NIOPosix
import TutorWire

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One open connection to `tutord`; calls run one at a time, notifications reach a handler as they arrive.
///
/// Use it inside ``TutorConnection/with(socketPath:_:)``, which closes the socket when the body returns.
public final class TutorConnection {
    private var lines: NIODecodedAsyncSequence<NIOAsyncChannelInboundStream<ByteBuffer>, NIOSplitLinesMessageDecoder>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var nextID: Int64 = 1
    /// Closes this connection from any thread (Ctrl-C): a call waiting on it ends with `disconnected`,
    /// and the daemon cancels what it was doing for it.
    public let interrupter: Interrupter

    /// Closes a connection from outside the task that uses it.
    public struct Interrupter: Sendable {
        let channel: any Channel

        /// Closes the connection; harmless when it is already closed.
        public func interrupt() { channel.close(promise: nil) }
    }

    /// The largest line accepted from the daemon (replies may carry whole plans or exports: a
    /// learner's whole history, 100 MB and more). The daemon is checked to be the user's own
    /// (`SocketTrust`), so this bound only stops a runaway.
    public static let maximumReplyBytes = 1 << 30

    init(
        inbound: NIOAsyncChannelInboundStream<ByteBuffer>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, channel: any Channel
    ) {
        self.lines = inbound.splitLines(maximumBufferSize: Self.maximumReplyBytes).makeAsyncIterator()
        self.outbound = outbound
        self.interrupter = Interrupter(channel: channel)
    }

    /// Connects to the daemon at `socketPath`, runs `body`, and closes the connection.
    ///
    /// - Throws: ``ClientError`` with code `unreachable` when nothing listens there.
    public static func with<T>(
        socketPath: String,
        _ body: (TutorConnection) async throws -> T
    ) async throws -> T {
        if let problem = TutorPaths.socketPathProblem(socketPath) {
            throw ClientError(.usage, problem)
        }
        if let problem = SocketTrust.problem(socketPath: socketPath) {
            throw ClientError(.untrustedSocket, problem)
        }
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(unixDomainSocketPath: socketPath) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw ClientError(.unreachable, "no tutord answers at \(socketPath) (\(error))")
        }
        return try await channel.executeThenClose { inbound, outbound in
            // Before anything is sent: the listener must be this user's (the path may have been
            // swapped since it was checked).
            if let problem = try await SocketTrust.peerProblem(channel: channel.channel, socketPath: socketPath).get() {
                throw ClientError(.untrustedSocket, problem)
            }
            return try await body(TutorConnection(inbound: inbound, outbound: outbound, channel: channel.channel))
        }
    }

    /// Calls method `M` and waits for its result; notifications that arrive meanwhile go to `onNotification`.
    ///
    /// - Throws: ``ClientError``: `daemon` wrapping the daemon's ``RPCError``, or `disconnected`.
    public func call<M: RPCMethod>(
        _ method: M.Type,
        _ params: M.Params,
        onNotification: (String, Data) async throws -> Void = { _, _ in }
    ) async throws -> M.Result {
        let id = RequestID.number(nextID)
        nextID += 1
        try await send(Request(id: id, method: M.name, params: params))
        while true {
            let line: ByteBuffer?
            do {
                line = try await lines.next()
            } catch {
                throw ClientError(.disconnected, "the connection to tutord failed while waiting for '\(M.name)' (\(error))")
            }
            guard let line else {
                throw ClientError(
                    .disconnected,
                    "tutord closed the connection before answering '\(M.name)' (it may be shutting down); run the command again"
                )
            }
            let reply: Reply<M.Result>
            do {
                reply = try WireCodec.decodeReply(M.Result.self, from: Array(line.readableBytesView))
            } catch {
                throw ClientError(
                    .protocolError, "tutord sent a line this tutor cannot read: \(error.message) Is `tutor` the same version as `tutord`?")
            }
            switch reply {
            case .notification(let name, let raw):
                try await onNotification(name, raw)
            case .failure(let replyID, let error) where replyID == id || replyID == nil:
                throw ClientError(daemon: error)
            case .success(let replyID, let result) where replyID == id:
                return result
            default:
                continue  // a reply to an earlier, abandoned request
            }
        }
    }

    /// Sends raw bytes as they are (tests use it to send garbage).
    public func sendRaw(_ bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Reads the next raw line from the daemon, or nil at end of stream.
    public func readRawLine() async throws -> String? {
        guard let line = try await lines.next() else { return nil }
        return String(buffer: line)
    }

    private func send(_ request: some Encodable) async throws {
        do {
            try await outbound.write(ByteBuffer(bytes: try WireCodec.encodeLine(request)))
        } catch {
            throw ClientError(.disconnected, "cannot send to tutord (\(error))")
        }
    }
}

extension TutorConnection {
    /// Opens a connection, calls one method, and closes it.
    public static func call<M: RPCMethod>(
        socketPath: String,
        _ method: M.Type,
        _ params: M.Params,
        onNotification: (String, Data) async throws -> Void = { _, _ in }
    ) async throws -> M.Result {
        try await with(socketPath: socketPath) { connection in
            try await connection.call(method, params, onNotification: onNotification)
        }
    }
}
