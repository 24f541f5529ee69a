import AsyncHTTPClient
import Logging
import Synchronization
import TutorLLM
import TutorModel
import TutorTesting

/// Log lines captured at trace level, to check what the client logs (and that no secret leaks).
final class CapturedLogs: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }

    func logger(label: String = "llm-test") -> Logger {
        var logger = Logger(label: label) { label in CapturingLogHandler(label: label, sink: self) }
        logger.logLevel = .trace
        return logger
    }
}

/// A `LogHandler` that renders every record (message and metadata) into `CapturedLogs`.
struct CapturingLogHandler: LogHandler {
    let label: String
    let sink: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        for (key, value) in event.metadata ?? [:] { merged[key] = value }
        sink.append("\(event.level) \(event.message) \(merged) \(event.source) \(event.file)")
    }
}

/// A fake server plus an `HTTPClient`, torn down after `body`.
func withFakeEndpoint<T>(
    models: [FakeModel] = [.init(id: "fake-model", contextLength: 8192)],
    connectTimeout: Duration = .seconds(2),
    _ body: (FakeOpenAIServer, HTTPClient) async throws -> T
) async throws -> T {
    let server = try await FakeOpenAIServer.start(models: models)
    let timeouts = OpenAICompatibleConfiguration.Timeouts(connect: connectTimeout)
    let clientConfiguration = OpenAICompatibleConfiguration(baseURL: server.baseURL, model: "m", timeouts: timeouts)
        .httpClientConfiguration()
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
    do {
        let result = try await body(server, client)
        try await client.shutdown()
        try await server.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        try? await server.shutdown()
        throw error
    }
}

/// A configuration for tests: fast retries, and timeouts long enough for a loaded machine (a test
/// that expects a timeout sets its own, short one).
func testConfiguration(
    baseURL: String,
    model: String = "fake-model",
    apiKey: String? = nil,
    responseHead: Duration = .seconds(20),
    firstToken: Duration = .seconds(20),
    stall: Duration = .seconds(20),
    connect: Duration = .seconds(2),
    retry: RetryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100), maxTotalTime: .seconds(10))
) -> OpenAICompatibleConfiguration {
    OpenAICompatibleConfiguration(
        baseURL: baseURL,
        model: model,
        apiKey: apiKey,
        timeouts: .init(connect: connect, responseHead: responseHead, firstToken: firstToken, stall: stall),
        retry: retry
    )
}

/// Collects every event of a stream, or the error that ended it (with the events before it).
func collect(_ stream: AsyncThrowingStream<ChatEvent, any Error>) async -> (events: [ChatEvent], error: (any Error)?) {
    var events: [ChatEvent] = []
    do {
        for try await event in stream { events.append(event) }
        return (events, nil)
    } catch {
        return (events, error)
    }
}
