import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A loopback fake of an OpenAI-compatible endpoint: scripted chat replies and faults, `/v1/models`,
/// deterministic `/v1/embeddings`, and a record of every request. Paths work with or without the `/v1` prefix.
public final class FakeOpenAIServer: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, ByteBuffer>
    typealias Accepted = (connection: Connection, arrival: RequestArrival)

    struct State {
        var queue: [FakeReply] = []
        var loop: [FakeReply] = []
        var loopIndex = 0
        var requests: [FakeRecordedRequest] = []
        var chatCount = 0
        var connections: [ObjectIdentifier: any Channel] = [:]
        var runTask: Task<Void, Never>?
        var webhookStatus = 200
        var modelsStatus = 200
        var chatServiceTimes: [Duration] = []
    }

    let models: [FakeModel]
    let state = Mutex(State())
    private let serverChannel: any Channel

    /// The bound port.
    public let port: Int

    /// `http://127.0.0.1:<port>/v1`.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    private init(models: [FakeModel], serverChannel: any Channel, port: Int) {
        self.models = models
        self.serverChannel = serverChannel
        self.port = port
    }

    /// Binds 127.0.0.1 on an ephemeral port (TCP_NODELAY on accepted connections) and starts serving.
    public static func start(models: [FakeModel] = [.init(id: "fake-model", contextLength: 8192)]) async throws -> FakeOpenAIServer {
        try await start(models: models, port: 0)
    }

    /// Binds 127.0.0.1 on `port` (0 for an ephemeral one) and starts serving.
    public static func start(models: [FakeModel], port: Int) async throws -> FakeOpenAIServer {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .bind(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let arrival = RequestArrival()
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)),
                        RequestArrivalHandler(arrival: arrival)
                    )
                    return (try Connection(wrappingChannelSynchronously: channel), arrival)
                }
            }
        guard let boundPort = listener.channel.localAddress?.port else {
            try? await listener.channel.close()
            throw FakeOpenAIServerError("could not read the bound port")
        }
        let server = FakeOpenAIServer(models: models, serverChannel: listener.channel, port: boundPort)
        let task = Task {
            await withDiscardingTaskGroup { group in
                do {
                    try await listener.executeThenClose { inbound in
                        for try await connection in inbound {
                            group.addTask { await server.serve(connection) }
                        }
                    }
                } catch {
                    // The listener closed or the task was cancelled: stop accepting.
                }
                group.cancelAll()
            }
        }
        server.state.withLock { $0.runTask = task }
        return server
    }

    /// Queues replies for `POST /v1/chat/completions`, served one per request in order.
    public func enqueue(_ replies: FakeReply...) {
        enqueue(replies)
    }

    /// Queues replies for `POST /v1/chat/completions`, served one per request in order.
    public func enqueue(_ replies: [FakeReply]) {
        state.withLock { $0.queue.append(contentsOf: replies) }
    }

    /// Replies served round-robin once the queue is empty (instead of the "script ran out" error).
    public func loopWhenExhausted(_ replies: [FakeReply]) {
        state.withLock {
            $0.loop = replies
            $0.loopIndex = 0
        }
    }

    /// Replies still queued.
    public var pendingReplyCount: Int { state.withLock { $0.queue.count } }

    /// The status `POST /hooks/…` answers with (200 by default; 503 plays a receiver that is down).
    /// Every request to it is recorded, so the server doubles as a webhook receiver in tests.
    public var webhookStatus: Int {
        get { state.withLock { $0.webhookStatus } }
        set { state.withLock { $0.webhookStatus = newValue } }
    }

    /// The status `GET /v1/models` answers with (200 by default: the model list; anything else plays
    /// a server or gateway without a model list, answering with an OpenAI error object).
    public var modelsStatus: Int {
        get { state.withLock { $0.modelsStatus } }
        set { state.withLock { $0.modelsStatus = newValue } }
    }

    /// The URL of the webhook receiver (`/hooks/<name>`).
    public func webhookURL(_ name: String = "tutor") -> String { "http://127.0.0.1:\(port)/hooks/\(name)" }

    /// The endpoint's own time on chat completions so far, summed: for each request, from its head
    /// reaching the server's event loop to the last byte of the reply handed to the socket. A
    /// benchmark subtracts it from a client's round trip to leave what the daemon itself costs.
    public var chatServiceTime: Duration { state.withLock { $0.chatServiceTimes.reduce(.zero, +) } }

    /// The same, one entry per chat completion, in the order they finished.
    public var chatServiceTimes: [Duration] { state.withLock { $0.chatServiceTimes } }

    /// Every request received so far, in arrival order.
    public func recordedRequests() -> [FakeRecordedRequest] {
        state.withLock { $0.requests }
    }

    /// Stops accepting, cancels in-flight replies (stalled streams included) and closes every connection.
    public func shutdown() async throws {
        let (task, connections) = state.withLock { ($0.runTask, Array($0.connections.values)) }
        try? await serverChannel.close()
        task?.cancel()
        for connection in connections {
            connection.close(promise: nil)
        }
        await task?.value
    }

    // MARK: Connections

    private func serve(_ accepted: Accepted) async {
        let connection = accepted.connection
        let channel = connection.channel
        let key = ObjectIdentifier(channel)
        state.withLock { $0.connections[key] = channel }
        defer { _ = state.withLock { $0.connections.removeValue(forKey: key) } }
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body = ByteBuffer()
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead):
                        head = requestHead
                        body.clear()
                        if requestHead.headers["expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                            try await outbound.write(ByteBuffer(string: "HTTP/1.1 100 Continue\r\n\r\n"))
                        }
                    case .body(var bytes):
                        body.writeBuffer(&bytes)
                    case .end:
                        guard let requestHead = head else { continue }
                        head = nil
                        let writer = FakeResponseWriter(outbound: outbound, channel: channel, keepAlive: requestHead.isKeepAlive)
                        let outcome = try await respond(to: requestHead, body: String(buffer: body), writer: writer)
                        // Taken for every request, so each reply pairs with its own request's arrival.
                        let arrived = accepted.arrival.take()
                        if requestHead.uri.hasSuffix("/chat/completions"), let arrived {
                            // The last write may still be queued for the event loop: what is left of it
                            // counts as the daemon's time, not the endpoint's.
                            let served = ContinuousClock.now - arrived
                            state.withLock { $0.chatServiceTimes.append(served) }
                        }
                        switch outcome {
                        case .keepAlive where requestHead.isKeepAlive: continue
                        case .keepAlive, .close: return
                        case .reset:
                            try await resetOnClose(channel)
                            return
                        }
                    }
                }
            }
        } catch {
            // Client went away, or shutdown cancelled the reply: the connection is closed either way.
        }
    }

    /// Makes the coming close send a TCP RST instead of a FIN.
    private func resetOnClose(_ channel: any Channel) async throws {
        guard let provider = channel as? any SocketOptionProvider else { return }
        try await provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
    }

    // MARK: Routing

    private func respond(to head: HTTPRequestHead, body: String, writer: FakeResponseWriter) async throws -> FakeConnectionOutcome {
        let target = head.uri
        state.withLock {
            $0.requests.append(
                FakeRecordedRequest(
                    method: head.method.rawValue,
                    path: target,
                    headers: head.headers.map { ($0.name, $0.value) },
                    body: body
                )
            )
        }
        var route = String(target.prefix { $0 != "?" })
        if route == "/v1" || route.hasPrefix("/v1/") { route.removeFirst(3) }
        while route.count > 1 && route.hasSuffix("/") { route.removeLast() }

        switch (head.method, route) {
        case (.GET, "/models") where modelsStatus == 200:
            try await writer.plain(status: 200, contentType: "application/json", body: modelsBody().text)
            return .keepAlive
        case (.GET, "/models"):
            let error = FakeJSON.openAIError(message: "Invalid URL (GET \(target))", type: "invalid_request_error", code: "unknown_url")
            try await writer.plain(status: modelsStatus, contentType: "application/json", body: error.text)
            return .keepAlive
        case (.POST, "/embeddings"):
            let (status, reply) = embeddingsReply(body: body)
            try await writer.plain(status: status, contentType: "application/json", body: reply.text)
            return .keepAlive
        case (.POST, "/chat/completions"):
            return try await chat(body: body, writer: writer)
        case (.POST, _) where route.hasPrefix("/hooks/"):
            let status = webhookStatus
            try await writer.plain(
                status: status, contentType: "application/json", body: status == 200 ? "{\"ok\":true}" : "{\"error\":\"down\"}")
            return .keepAlive
        default:
            let error = FakeJSON.openAIError(
                message: "Invalid URL (\(head.method.rawValue) \(target))",
                type: "invalid_request_error",
                code: "unknown_url"
            )
            try await writer.plain(status: 404, contentType: "application/json", body: error.text)
            return .keepAlive
        }
    }

    private func chat(body: String, writer: FakeResponseWriter) async throws -> FakeConnectionOutcome {
        let (reply, number) = state.withLock { state -> (FakeReply?, Int) in
            state.chatCount += 1
            if !state.queue.isEmpty { return (state.queue.removeFirst(), state.chatCount) }
            guard !state.loop.isEmpty else { return (nil, state.chatCount) }
            defer { state.loopIndex = (state.loopIndex + 1) % state.loop.count }
            return (state.loop[state.loopIndex], state.chatCount)
        }
        guard let reply else {
            let error = FakeJSON.openAIError(
                message: "FakeOpenAIServer: the script ran out of replies (chat request #\(number) had none queued)",
                type: "server_error",
                code: "fake_script_exhausted"
            )
            try await writer.plain(status: 500, contentType: "application/json", body: error.text)
            return .keepAlive
        }
        let request = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        let model = request?["model"] as? String ?? models.first?.id ?? "fake-model"
        switch reply {
        case .json(let status, let body, let headers):
            try await writer.plain(status: status, contentType: "application/json", body: body, headers: headers)
            return .keepAlive
        case .text(let status, let body):
            try await writer.plain(status: status, contentType: "text/plain; charset=utf-8", body: body)
            return .keepAlive
        case .dropConnection:
            return .close
        case .stream(let chunks, let end, let headDelay, let chunkDelay, let crlf, let splitWrites, let multilineData):
            let stream = FakeStream(
                id: "chatcmpl-fake-\(number)",
                model: model,
                created: Int(Date().timeIntervalSince1970),
                lineEnd: crlf ? "\r\n" : "\n",
                multilineData: multilineData
            )
            if headDelay > .zero { try await Task.sleep(for: headDelay) }
            try await writer.streamHead()
            if chunkDelay == .zero && !splitWrites {
                try await writer.streamEvents(stream.events(for: chunks))
            } else {
                for (index, chunk) in chunks.enumerated() {
                    if index > 0 && chunkDelay > .zero { try await Task.sleep(for: chunkDelay) }
                    try await writer.streamBytes(stream.event(for: chunk, first: index == 0), split: splitWrites)
                }
            }
            switch end {
            case .done:
                try await writer.streamBytes(stream.doneEvent, split: splitWrites)
                try await writer.streamEnd()
                return .keepAlive
            case .noDone:
                try await writer.streamEnd()
                return .close
            case .stall(let duration):
                try await stall(for: duration, channelOf: writer)
                return .close
            case .drop:
                return .reset
            }
        }
    }

    /// Sleeps for `duration`, waking early when the client leaves (shutdown cancels the sleep).
    private func stall(for duration: Duration, channelOf writer: FakeResponseWriter) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + duration
        while clock.now < deadline {
            try await Task.sleep(for: min(.milliseconds(50), deadline - clock.now))
            if writer.isClosed { return }
        }
    }

    private func modelsBody() -> FakeJSON {
        let data: [FakeJSON] = models.map { model in
            var members: [(String, FakeJSON)] = [
                ("id", .string(model.id)), ("object", "model"), ("created", .int(0)), ("owned_by", "fake"),
            ]
            if let length = model.contextLength {
                members.append(("context_length", .int(length)))
                members.append(("max_model_len", .int(length)))
            }
            return .object(members)
        }
        return .object([("object", "list"), ("data", .array(data))])
    }

    private func embeddingsReply(body: String) -> (Int, FakeJSON) {
        let request = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        let inputs: [String]
        switch request?["input"] {
        case let text as String: inputs = [text]
        case let texts as [String]: inputs = texts
        default:
            return (
                400,
                .openAIError(
                    message: "'input' must be a string or an array of strings", type: "invalid_request_error", code: nil, param: "input")
            )
        }
        let data: [FakeJSON] = inputs.enumerated().map { index, text in
            .object([
                ("object", "embedding"), ("index", .int(index)),
                (
                    "embedding",
                    .array(
                        FakeEmbedding.vector(for: text, dimensions: request?["dimensions"] as? Int ?? FakeEmbedding.dimensions).map {
                            .double($0)
                        })
                ),
            ])
        }
        let tokens = inputs.reduce(0) { $0 + FakeEmbedding.words($1).count }
        let model = request?["model"] as? String ?? models.first?.id ?? "fake-model"
        return (
            200,
            .object([
                ("object", "list"), ("data", .array(data)), ("model", .string(model)),
                ("usage", .object([("prompt_tokens", .int(tokens)), ("total_tokens", .int(tokens))])),
            ])
        )
    }
}

/// An error starting the fake server.
public struct FakeOpenAIServerError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// What to do with the connection after a reply.
enum FakeConnectionOutcome {
    case keepAlive
    case close
    case reset
}

/// When each request's head reached the event loop, oldest first. A queue: a client may send its
/// next request as soon as it has the last byte of a reply, before the serving task has taken
/// the arrival of the one it answered.
final class RequestArrival: Sendable {
    private let instants = Mutex<[ContinuousClock.Instant]>([])
    func stamp() { instants.withLock { $0.append(.now) } }
    func take() -> ContinuousClock.Instant? { instants.withLock { $0.isEmpty ? nil : $0.removeFirst() } }
}

/// Stamps each request head as it is decoded, on the event loop, before the hop to the serving task.
final class RequestArrivalHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    private let arrival: RequestArrival

    init(arrival: RequestArrival) { self.arrival = arrival }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = Self.unwrapInboundIn(data) { arrival.stamp() }
        context.fireChannelRead(data)
    }
}
