import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import TutorJSON
import TutorModel

/// Sends requests to an OpenAI-compatible endpoint with the configured headers, deadlines and
/// retries, and maps failures to `LLMError`. Shared by the chat and embedding models.
struct HTTPTransport: Sendable {
    let configuration: OpenAICompatibleConfiguration
    let httpClient: HTTPClient
    let logger: Logger

    /// Thrown by a response consumer that failed before receiving any body byte: safe to retry.
    struct FailedBeforeFirstByte: Error {
        var underlying: any Error
    }

    /// A non-2xx response, kept to decide on a retry and to build the final error.
    private struct StatusFailure: Error {
        var status: Int
        var body: [UInt8]
        var retryAfter: Duration?
        /// The `Location` of a redirect, which is not followed.
        var location: String?
    }

    // MARK: Requests

    /// A request to `{base}{path}`: a POST of `body` (JSON), or a GET when there is none.
    func makeRequest(path: String, body: [UInt8]?, accept: String = "application/json") -> HTTPClientRequest {
        var request = HTTPClientRequest(url: configuration.baseURL + path)
        request.method = body == nil ? .GET : .POST
        request.headers.add(name: "Accept", value: accept)
        request.headers.add(name: "User-Agent", value: "tutor")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        if let key = configuration.apiKey, !key.isEmpty {
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
        }
        for (name, value) in configuration.extraHeaders.sorted(by: { $0.key < $1.key }) {
            request.headers.replaceOrAdd(name: name, value: value)
        }
        return request
    }

    /// Executes `request`, retrying connect failures, retryable statuses and consumer failures
    /// before the first body byte, then hands a 2xx response to `consume`. A non-2xx response that
    /// is not retried (or out of retries) becomes the mapped `LLMError`.
    func perform<T: Sendable>(
        _ request: HTTPClientRequest,
        operation: String,
        consume: @Sendable (HTTPClientResponse) async throws -> T
    ) async throws -> T {
        let policy = configuration.retry
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            logger.debug(
                "LLM request",
                metadata: [
                    "llm.operation": "\(operation)", "llm.url": "\(request.url)", "llm.model": "\(configuration.model)",
                    "llm.attempt": "\(attempt)", "llm.api_key_set": "\(configuration.hasAPIKey)",
                ]
            )
            let failure: any Error
            var serverDelay: Duration?
            let attemptStart = clock.now
            do {
                let response = try await execute(request)
                let status = Int(response.status.code)
                if (200..<300).contains(status) {
                    do {
                        return try await consume(response)
                    } catch let error as FailedBeforeFirstByte {
                        failure = error.underlying
                    }
                } else {
                    let body = try await readBody(response.body, limit: ErrorMapping.maximumErrorBodySize, truncate: true)
                    let retryAfter = ErrorMapping.retryAfter(
                        retryAfterMilliseconds: response.headers.first(name: "retry-after-ms"),
                        retryAfter: response.headers.first(name: "retry-after")
                    )
                    logger.debug(
                        "LLM request failed",
                        metadata: ["llm.operation": "\(operation)", "llm.status": "\(status)", "llm.attempt": "\(attempt)"]
                    )
                    let statusFailure = StatusFailure(
                        status: status, body: body, retryAfter: retryAfter, location: response.headers.first(name: "location"))
                    guard RetryPolicy.retryableStatuses.contains(status) else {
                        throw await finalError(for: statusFailure, operation: operation)
                    }
                    failure = statusFailure
                    serverDelay = retryAfter
                }
            } catch let error where ConnectFailureKind(error) != nil {
                // A wrong address (nothing listening, no such host, TLS against plain HTTP) stays
                // wrong: fail at once with what to check.
                throw unfixableConnectError(error) ?? error
            } catch let error where Self.isRetryableTransportError(error) {
                failure = error
            }

            // Decide whether to try again. AsyncHTTPClient's pool already retries connecting for the whole
            // connect timeout, so a connect failure that used it up is not retried once more.
            let delay = serverDelay ?? policy.backoff(retry: attempt)
            let elapsed = clock.now - start
            let exhaustedConnectWindow =
                Self.isConnectFailure(failure) && clock.now - attemptStart >= configuration.timeouts.connect * 0.9
            guard attempt < policy.maxAttempts, elapsed + delay <= policy.maxTotalTime, !exhaustedConnectWindow else {
                throw await finalError(for: failure, operation: operation)
            }
            logger.debug(
                "LLM request will be retried",
                metadata: [
                    "llm.operation": "\(operation)", "llm.attempt": "\(attempt)", "llm.delay_seconds": "\(delay.seconds)",
                    "llm.reason": "\(Self.describe(failure))",
                ]
            )
            try await Task.sleep(for: delay)
        }
    }

    /// Executes one request with the response-head deadline.
    private func execute(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        do {
            return try await httpClient.execute(request, deadline: .now() + configuration.timeouts.responseHead.timeAmount, logger: logger)
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw LLMError(
                .timedOut,
                hint: "No response from \(configuration.baseURL) within \(configuration.timeouts.responseHead.hintText); "
                    + "the model may still be loading or the server is overloaded. Try again or raise the response timeout."
            )
        }
    }

    /// Reads a whole (small) body, failing if it stalls; beyond `limit` it truncates or fails.
    func readBody(_ body: HTTPClientResponse.Body, limit: Int, truncate: Bool) async throws -> [UInt8] {
        try await withStallTimeout { progress in
            var bytes: [UInt8] = []
            for try await chunk in body {
                progress.touch(byteCount: chunk.readableBytes)
                let room = limit - bytes.count
                if chunk.readableBytes > room {
                    if truncate {
                        bytes.append(contentsOf: chunk.readableBytesView.prefix(room))
                        break
                    }
                    throw LLMError(
                        .malformedResponse,
                        hint: "The response from \(configuration.baseURL) is larger than \(limit) bytes; is the base URL right?"
                    )
                }
                bytes.append(contentsOf: chunk.readableBytesView)
            }
            return bytes
        }
    }

    /// Runs `work` while a watchdog fails it with `LLMError(.timedOut)` if no byte is reported through
    /// the `StreamProgress` for the stall timeout. With `firstEvent`, the stall timeout starts only
    /// once `work` reports its first event (`StreamProgress.markFirstEvent()`); until then the
    /// watchdog allows `firstEvent` from now, whatever bytes arrive. The work is cancelled when the
    /// watchdog fires.
    func withStallTimeout<T: Sendable>(
        firstEvent: Duration? = nil,
        _ work: @Sendable @escaping (StreamProgress) async throws -> T
    ) async throws -> T {
        let progress = StreamProgress()
        let watchdog = StallWatchdog(
            progress: progress, stall: configuration.timeouts.stall, firstEvent: firstEvent, baseURL: configuration.baseURL)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work(progress) }
            group.addTask {
                try await watchdog.run()
                return nil
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CancellationError()
        }
    }

    // MARK: Errors

    /// The error to report for a failure that will not be retried. An unknown model is reported
    /// with the models the endpoint lists, looked up once; a failed lookup of that list is
    /// reported as it is, never looked up again (a `/models` answering 404 would otherwise list
    /// the models to explain its own 404, for ever).
    private func finalError(for failure: any Error, operation: String) async -> any Error {
        if let status = failure as? StatusFailure {
            if operation == Self.modelsOperation {
                return ErrorMapping.modelListError(status: status.status, body: status.body, baseURL: configuration.baseURL)
            }
            var models: [String]?
            let server = ErrorMapping.serverError(from: status.body)
            if ErrorMapping.classify(status: status.status, error: server) == .unknownModel {
                models = try? await listModelIDs()
            }
            return ErrorMapping.error(
                status: status.status,
                body: status.body,
                configuration: configuration,
                availableModels: models,
                retryAfter: status.retryAfter,
                location: status.location
            )
        }
        return mapTransportError(failure)
    }

    /// Maps an error from AsyncHTTPClient or NIO to `LLMError`; passes `LLMError` and cancellation through.
    func mapTransportError(_ error: any Error) -> any Error {
        if error is LLMError || error is CancellationError || error is InvalidToolDefinitionError { return error }
        if let error = error as? HTTPClientError {
            if error == .cancelled && Task.isCancelled { return CancellationError() }
            if error == .deadlineExceeded || error == .readTimeout {
                return LLMError(
                    .timedOut,
                    hint: "No response from \(configuration.baseURL) within \(configuration.timeouts.responseHead.hintText)."
                )
            }
            if error == .remoteConnectionClosed {
                return LLMError(
                    .connectionFailed,
                    hint: "The server at \(configuration.baseURL) closed the connection before answering; check that it is healthy."
                )
            }
        }
        return LLMError(
            .connectionFailed,
            hint: "Could not reach \(configuration.baseURL) (\(Self.describe(error))); is the server running and the base URL right?"
        )
    }

    /// Failures of the connection itself, before any response: worth retrying.
    static func isRetryableTransportError(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError {
            return [
                .connectTimeout, .remoteConnectionClosed, .tlsHandshakeTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout,
                .getConnectionFromPoolTimeout, .uncleanShutdown,
            ].contains(error)
        }
        if error is NIOConnectionError || error is IOError { return true }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout, .ioOnClosedChannel, .eof, .alreadyClosed, .outputClosed, .inputClosed: return true
            default: return false
            }
        }
        return false
    }

    /// The error for a connect failure that no retry can fix, with what to check; nil for any other.
    func unfixableConnectError(_ error: any Error) -> LLMError? {
        guard let kind = ConnectFailureKind(error) else { return nil }
        let base = configuration.baseURL
        let hint: String
        switch kind {
        case .refused:
            hint =
                "Nothing is listening at \(base) (connection refused); check that the server is running "
                + "and the host and port of the base URL (TUTOR_LLM_BASE_URL)."
        case .unknownHost:
            hint = "The host of \(base) was not found (DNS); check its spelling in the base URL (TUTOR_LLM_BASE_URL)."
        case .tls:
            hint =
                "The TLS handshake with \(base) failed (\(Self.describe(error))); if the server speaks plain HTTP, "
                + "the base URL (TUTOR_LLM_BASE_URL) must start with http://, not https://."
        }
        return LLMError(.connectionFailed, hint: hint)
    }

    /// Failures to establish a connection (as opposed to one that broke).
    static func isConnectFailure(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError { return error == .connectTimeout }
        if error is NIOConnectionError { return true }
        if let error = error as? ChannelError, case .connectTimeout = error { return true }
        if let error = error as? IOError { return [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH].contains(error.errnoCode) }
        return false
    }

    static func describe(_ error: any Error) -> String {
        ErrorMapping.clip(String(describing: error), to: 300)
    }

    // MARK: Models

    /// The `operation` of a GET {base}/models.
    static let modelsOperation = "models"

    /// GET {base}/models: the listed models' raw entries.
    func listModelEntries() async throws -> [JSONValue] {
        let request = makeRequest(path: "/models", body: nil)
        let transport = self
        let bytes = try await perform(request, operation: Self.modelsOperation) { response in
            try await transport.readBody(response.body, limit: 8 * 1024 * 1024, truncate: false)
        }
        guard let json = JSONValue.parse(bytes) else {
            throw LLMError(
                .malformedResponse,
                serverMessage: ErrorMapping.clip(String(decoding: bytes, as: UTF8.self), to: 200),
                hint: "GET \(configuration.baseURL)/models did not return JSON; is the base URL right?"
            )
        }
        // OpenAI shape {"data":[…]}; Ollama's native {"models":[…]}; a bare array.
        return json["data"]?.array ?? json["models"]?.array ?? json.array ?? []
    }

    /// The ids of the listed models.
    func listModelIDs() async throws -> [String] {
        try await listModelEntries().compactMap { $0["id"]?.string ?? $0["name"]?.string ?? $0["model"]?.string }
    }
}

/// When a response body last delivered bytes, how many it has delivered, and whether its first
/// event has arrived.
final class StreamProgress: Sendable {
    private struct State {
        var lastActivity: ContinuousClock.Instant
        var byteCount = 0
        var hasFirstEvent = false
    }

    private let state = Mutex(State(lastActivity: ContinuousClock.now))

    var lastActivity: ContinuousClock.Instant { state.withLock { $0.lastActivity } }
    var byteCount: Int { state.withLock { $0.byteCount } }
    var hasFirstEvent: Bool { state.withLock { $0.hasFirstEvent } }

    func touch(byteCount: Int) {
        state.withLock {
            $0.lastActivity = ContinuousClock.now
            $0.byteCount += byteCount
        }
    }

    /// The body delivered an event with data (not only comments): the first token has come.
    func markFirstEvent() {
        state.withLock {
            if !$0.hasFirstEvent { $0.lastActivity = ContinuousClock.now }
            $0.hasFirstEvent = true
        }
    }
}

/// Fails a body read that goes quiet: before the first event, when `firstEvent` has passed since
/// it started; after it (or always, without `firstEvent`), when no byte came for `stall`.
struct StallWatchdog: Sendable {
    let progress: StreamProgress
    let stall: Duration
    let firstEvent: Duration?
    let baseURL: String

    /// Returns never; throws `LLMError(.timedOut)` when a deadline passes, or on cancellation.
    func run() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        while true {
            let now = clock.now
            if let firstEvent, !progress.hasFirstEvent {
                let deadline = start + firstEvent
                if now >= deadline {
                    throw LLMError(
                        .timedOut,
                        hint: "No answer from \(baseURL) within \(firstEvent.hintText) of its response head: the server may still be "
                            + "reading a long prompt on a slow machine, or be overloaded. Try again with less text, or raise the "
                            + "first-token timeout (TUTOR_LLM_FIRST_TOKEN_TIMEOUT).")
                }
                // Wake at least once per stall period, so a stall soon after the first token is caught in time.
                try await Task.sleep(until: min(deadline, now + stall), clock: clock)
            } else {
                let deadline = progress.lastActivity + stall
                if now >= deadline {
                    throw LLMError(
                        .timedOut,
                        hint: "The response from \(baseURL) stalled: no data for \(stall.hintText). "
                            + "The server may be overloaded; try again or raise the stall timeout.")
                }
                try await Task.sleep(until: deadline, clock: clock)
            }
        }
    }
}
