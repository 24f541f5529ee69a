import AsyncHTTPClient
import Logging
import NIOCore
import Synchronization
import TutorJSON
import TutorModel

/// A chat model behind an OpenAI-compatible `/v1/chat/completions` endpoint (OpenAI, llama.cpp,
/// vLLM, Ollama, LM Studio, …), streamed over server-sent events.
public final class OpenAICompatibleModel: ChatModel {
    public let configuration: OpenAICompatibleConfiguration
    private let transport: HTTPTransport
    private let logger: Logger
    /// What the endpoint said about the model: nothing yet, what its list says, or a failed lookup,
    /// not tried again before `retryAt` — or, when the endpoint could not be reached at all (down,
    /// restarting, 5xx), before a chat request to it succeeds: it is back, and may say more.
    private enum Discovery {
        case unknown
        case found(ModelDiscovery)
        case failed(retryAt: ContinuousClock.Instant, unreachable: Bool)
    }

    private let discovery = Mutex(Discovery.unknown)
    /// How long a failed discovery of the context window is remembered before the endpoint is asked again.
    let discoveryRetryInterval: Duration
    /// The tools of the last request, encoded: an agent sends the same tools with every request.
    private let toolCache = Mutex<(definitions: [ToolDefinition], bytes: [UInt8])?>(nil)
    /// Where requests run: one of the HTTP client's event loops (see ``EventLoopExecutor``).
    private let executor: EventLoopExecutor

    /// - Parameter discoveryRetryInterval: how long a failed lookup of the context window is
    ///   remembered; until then every caller gets nil at once.
    public init(
        configuration: OpenAICompatibleConfiguration, httpClient: HTTPClient, logger: Logger,
        discoveryRetryInterval: Duration = .seconds(300)
    ) {
        self.configuration = configuration
        self.discoveryRetryInterval = discoveryRetryInterval
        self.logger = logger
        self.transport = HTTPTransport(configuration: configuration, httpClient: httpClient, logger: logger)
        self.executor = EventLoopExecutor(httpClient.eventLoopGroup.next())
        logger.debug(
            "LLM client configured",
            metadata: [
                "llm.base_url": "\(configuration.baseURL)", "llm.model": "\(configuration.model)",
                "llm.api_key_set": "\(configuration.hasAPIKey)",
            ]
        )
    }

    public var name: String { configuration.model }

    /// Streams a chat completion: `.text` as it arrives, `.toolCallStarted` once per call, then exactly
    /// one `.completed`. Failures are thrown as `LLMError`. Ending the iteration (or cancelling the
    /// consuming task) cancels the HTTP request.
    ///
    /// The body is encoded here, on the caller's thread; the exchange itself runs on an event loop
    /// of the HTTP client, where it does only non-blocking work.
    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: ChatEvent.self)
        let httpRequest: HTTPClientRequest
        do {
            let body = try ChatRequestEncoding.bodyBytes(
                for: request,
                model: configuration.model,
                defaultTemperature: configuration.temperature,
                toolsBytes: try toolsBytes(request.tools)
            )
            httpRequest = transport.makeRequest(path: "/chat/completions", body: body, accept: "text/event-stream")
        } catch {
            continuation.finish(throwing: transport.mapTransportError(error))
            return stream
        }
        let task = Task(executorPreference: executor) { [transport] in
            do {
                try await transport.perform(httpRequest, operation: "chat") { response in
                    // The endpoint answers: a lookup that failed because it could not be reached is worth another try.
                    self.forgetUnreachableDiscovery()
                    try await Self.consume(response, transport: transport, continuation: continuation)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: transport.mapTransportError(error))
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Forgets a lookup that failed because the endpoint could not be reached: it answers now.
    private func forgetUnreachableDiscovery() {
        discovery.withLock { if case .failed(_, unreachable: true) = $0 { $0 = .unknown } }
    }

    /// `definitions` serialised in OpenAI shape, from the cache when they are the last request's tools.
    private func toolsBytes(_ definitions: [ToolDefinition]) throws -> [UInt8] {
        if definitions.isEmpty { return [] }
        if let cached = toolCache.withLock({ $0 }), cached.definitions == definitions { return cached.bytes }
        let bytes = try ChatRequestEncoding.toolsBytes(definitions)
        toolCache.withLock { $0 = (definitions, bytes) }
        return bytes
    }

    /// Reads the event stream of a 2xx response, yielding as it goes. Failures before the first body
    /// byte are wrapped in `FailedBeforeFirstByte` so the transport may retry them.
    private static func consume(
        _ response: HTTPClientResponse,
        transport: HTTPTransport,
        continuation: AsyncThrowingStream<ChatEvent, any Error>.Continuation
    ) async throws {
        let endpoint = transport.configuration.baseURL
        try await transport.withStallTimeout(firstEvent: transport.configuration.timeouts.firstToken) { stall in
            var decoder = SSEDecoder()
            var state = ChatStreamState()
            var ended = false
            do {
                reading: for try await chunk in response.body {
                    stall.touch(byteCount: chunk.readableBytes)
                    let events: [SSEEvent]
                    do {
                        events = try decoder.feed(chunk.readableBytesView)
                    } catch {
                        throw LLMError(
                            .malformedResponse,
                            hint: "An event in the stream from \(endpoint) is larger than \(SSEDecoder.defaultMaximumEventSize) bytes."
                        )
                    }
                    if !events.isEmpty { stall.markFirstEvent() }
                    // Text decoded from one read goes out as one event: fewer hops per token when a
                    // fast server sends many chunks at once, the same text either way.
                    var text = ""
                    for event in events {
                        for output in try state.handle(event) {
                            if case .text(let delta) = output {
                                text += delta
                            } else {
                                if !text.isEmpty { continuation.yield(.text(text)) }
                                text = ""
                                continuation.yield(output)
                            }
                        }
                        if state.isDone { break }
                    }
                    if !text.isEmpty { continuation.yield(.text(text)) }
                    if state.isDone { break reading }
                }
                ended = true
            } catch let error where HTTPTransport.isRetryableTransportError(error) && !(error is LLMError) {
                // The connection broke mid-body: treat it like an early end of the stream, unless
                // nothing at all arrived (then the transport may retry).
                if stall.byteCount == 0 { throw HTTPTransport.FailedBeforeFirstByte(underlying: error) }
            }
            if ended, !state.isDone, let pending = decoder.finish() {
                // A final event without its blank line (e.g. "data: [DONE]" then EOF).
                for output in try state.handle(pending) { continuation.yield(output) }
            }
            if stall.byteCount == 0 {
                throw HTTPTransport.FailedBeforeFirstByte(
                    underlying: LLMError(.truncated, hint: "The endpoint at \(endpoint) sent an empty response body.")
                )
            }
            continuation.yield(.completed(try state.completion(endpoint: endpoint)))
        }
    }

    /// The context window the endpoint reports for this model; see ``discover()``.
    public nonisolated(nonsending) func contextWindow() async -> Int? {
        await discover().contextWindow
    }

    /// What the endpoint's GET /models says about this model: its context window (`context_length`,
    /// `max_model_len`, `context_window` or `n_ctx` in its entry), and the other models it lists when
    /// it does not list this one (logged once as a warning). Looked up once (one GET, with the
    /// transport's bounded retries), then cached; a failure is cached too, logged once as a warning
    /// saying what to set, and looked up again after `discoveryRetryInterval`, or sooner once a chat
    /// request succeeds if the endpoint could not be reached at all.
    public nonisolated(nonsending) func discover() async -> ModelDiscovery {
        let before = discovery.withLock { $0 }
        switch before {
        case .found(let found): return found
        case .failed(let retryAt, _) where ContinuousClock.now < retryAt: return ModelDiscovery(contextWindow: nil, reached: false)
        case .unknown, .failed: break
        }
        do {
            let entries = try await transport.listModelEntries()
            let found = Self.discovery(in: entries, model: configuration.model)
            discovery.withLock { $0 = .found(found) }
            if !found.otherModels.isEmpty {
                logger.warning(
                    "The endpoint does not list the configured model; it may answer with another one. Check TUTOR_LLM_MODEL.",
                    metadata: [
                        "llm.base_url": "\(configuration.baseURL)", "llm.model": "\(configuration.model)",
                        "llm.listed_models": "\(found.otherModels.joined(separator: ", "))",
                    ])
            }
            return found
        } catch {
            if error is CancellationError || Task.isCancelled { return ModelDiscovery(contextWindow: nil, reached: false) }
            let mapped = transport.mapTransportError(error)
            let unreachable = (mapped as? LLMError).map { Self.isUnreachable($0) } ?? false
            // An endpoint that was away may be back soon: asked again after a few seconds, not minutes.
            let interval = unreachable ? min(discoveryRetryInterval, Self.unreachableRetryInterval) : discoveryRetryInterval
            discovery.withLock { $0 = .failed(retryAt: ContinuousClock.now + interval, unreachable: unreachable) }
            if case .failed = before { return ModelDiscovery(contextWindow: nil, reached: false) }  // Warned already.
            logger.warning(
                "Could not discover the model's context window; using the configured or default window. Set TUTOR_LLM_CONTEXT_WINDOW.",
                metadata: [
                    "llm.base_url": "\(configuration.baseURL)",
                    "llm.error": "\(HTTPTransport.describe(mapped))",
                ])
            return ModelDiscovery(contextWindow: nil, reached: false)
        }
    }

    /// How long a lookup that failed because the endpoint was away is remembered (at most).
    static let unreachableRetryInterval = Duration.seconds(5)

    /// Whether a failed lookup says the endpoint was away (not that it has no list or refused it).
    static func isUnreachable(_ error: LLMError) -> Bool {
        switch error.code {
        case .connectionFailed, .timedOut, .truncated: true
        case .httpError, .rateLimited: (error.status ?? 0) >= 500 || error.status == 429 || error.status == 408
        default: false
        }
    }

    /// What a /models list says about `model`: its window, and the other names when it is not listed.
    static func discovery(in entries: [JSONValue], model: String) -> ModelDiscovery {
        let ids = entries.compactMap { $0["id"]?.string ?? $0["name"]?.string ?? $0["model"]?.string }
        let others = ids.isEmpty || ids.contains(model) ? [] : ids
        return ModelDiscovery(contextWindow: contextWindow(in: entries, model: model), otherModels: others)
    }

    /// The model ids the endpoint lists at GET {base}/models.
    public func listModels() async throws -> [String] {
        do {
            return try await transport.listModelIDs()
        } catch {
            throw transport.mapTransportError(error)
        }
    }

    /// Finds the configured model among /models entries (or the only one listed: llama.cpp serves one
    /// model whatever the name) and reads its context window.
    static func contextWindow(in entries: [JSONValue], model: String) -> Int? {
        let entry =
            entries.first { ($0["id"]?.string ?? $0["name"]?.string ?? $0["model"]?.string) == model }
            ?? (entries.count == 1 ? entries[0] : nil)
        guard let entry else { return nil }
        let keys = ["context_length", "max_model_len", "context_window", "n_ctx", "max_context_length"]
        for container in [entry, entry["meta"], entry["details"]].compactMap({ $0 }) {
            for key in keys {
                if let value = container[key]?.looseInt, value > 0 { return value }
            }
        }
        return nil
    }
}
