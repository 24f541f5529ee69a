import AsyncHTTPClient
import NIOCore
import TutorModel

/// How to reach an OpenAI-compatible endpoint (OpenAI, llama.cpp, vLLM, Ollama, LM Studio, …).
public struct OpenAICompatibleConfiguration: Sendable, CustomStringConvertible {
    /// Timeouts for one HTTP exchange.
    public struct Timeouts: Sendable, Equatable {
        /// Establishing the connection. Enforced by the `HTTPClient` (see `httpClientConfiguration`);
        /// the response-head deadline bounds it too.
        public var connect: Duration
        /// From sending the request to receiving the response head (status and headers). Some servers
        /// (Ollama) send the head only with the first token, so it covers loading the model and
        /// reading the prompt there.
        public var responseHead: Duration
        /// From the response head of a streamed answer to its first event with data (the first
        /// token): the time a server such as llama.cpp spends reading the prompt after sending its
        /// head. SSE comments (llama.cpp's heartbeats) meanwhile do not extend it, and the stall
        /// timeout does not apply until the first token.
        public var firstToken: Duration
        /// The longest silence allowed between bytes of a response body (SSE comments count as
        /// bytes); for a streamed answer, from its first token on.
        public var stall: Duration

        /// The defaults fit a 7–8B model on a CPU: the first token of a long prompt may take
        /// minutes; tokens then come at least every few seconds.
        public init(
            connect: Duration = .seconds(10), responseHead: Duration = .seconds(300), firstToken: Duration = .seconds(600),
            stall: Duration = .seconds(30)
        ) {
            self.connect = connect
            self.responseHead = responseHead
            self.firstToken = firstToken
            self.stall = stall
        }
    }

    /// The base URL as given, normalised to end in `/v1` (no trailing slash).
    public var baseURL: String {
        didSet { baseURL = Self.normalizeBaseURL(baseURL) }
    }
    /// The model name sent with every request.
    public var model: String
    /// Sent as `Authorization: Bearer …` when set and non-empty. Never logged.
    public var apiKey: String?
    /// Extra request headers; they replace default headers of the same name.
    public var extraHeaders: [String: String]
    public var timeouts: Timeouts
    public var retry: RetryPolicy
    /// The sampling temperature used when a request does not set one; nil leaves it to the server.
    public var temperature: Double?

    public init(
        baseURL: String,
        model: String,
        apiKey: String? = nil,
        extraHeaders: [String: String] = [:],
        timeouts: Timeouts = Timeouts(),
        retry: RetryPolicy = RetryPolicy(),
        temperature: Double? = nil
    ) {
        self.baseURL = Self.normalizeBaseURL(baseURL)
        self.model = model
        self.apiKey = apiKey
        self.extraHeaders = extraHeaders
        self.timeouts = timeouts
        self.retry = retry
        self.temperature = temperature
    }

    /// Whether an API key will be sent.
    public var hasAPIKey: Bool { !(apiKey ?? "").isEmpty }

    /// A description safe to log: the key is reduced to whether one is set.
    public var description: String {
        "OpenAICompatibleConfiguration(baseURL: \(baseURL), model: \(model), apiKey: \(hasAPIKey ? "set" : "not set"))"
    }

    /// Normalises "http://h:p", "http://h:p/", "http://h:p/v1" and "http://h:p/v1/" to "http://h:p/v1".
    /// A base with another path ("https://host/openai") gets "/v1" appended; one already ending in
    /// a version segment ("/v1", "/api/v1") is kept.
    public static func normalizeBaseURL(_ raw: String) -> String {
        var url = String(raw.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        while url.hasSuffix("/") { url.removeLast() }
        if url.hasSuffix("/v1") { return url }
        for suffix in ["/chat/completions", "/embeddings", "/models"] where url.hasSuffix("/v1" + suffix) {
            return String(url.dropLast(suffix.count))
        }
        return url + "/v1"
    }

    /// An `HTTPClient` configuration that applies `timeouts.connect`. No read timeout is set: the
    /// client enforces the response-head deadline and the stall timeout itself. The connection pool
    /// does not retry a failed connect on its own (it would retry a refused connection or an
    /// unknown host until the connect timeout): the transport decides what is worth retrying.
    /// Redirects are not followed: AsyncHTTPClient carries every header but `Authorization`,
    /// `Cookie` and `Proxy-Authorization` to the new origin, so `llm.extra_headers` (a proxy's token)
    /// and the request body would go wherever a redirect points. A 3xx is reported with its
    /// `Location` and the setting to change instead.
    public func httpClientConfiguration() -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: timeouts.connect.timeAmount, read: nil)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        return configuration
    }
}

/// When and how long to retry a failed request: exponential backoff with jitter, capped in attempts
/// and in total time. Only failures before the first byte of a response body are retried.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, including the first (1 means no retry).
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// No retry starts once this much time has passed since the first attempt, or would pass while waiting.
    public var maxTotalTime: Duration

    public init(
        maxAttempts: Int = 3,
        baseDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(8),
        maxTotalTime: Duration = .seconds(60)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxTotalTime = maxTotalTime
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// HTTP statuses worth retrying.
    public static let retryableStatuses: Set<Int> = [408, 429, 500, 502, 503, 504]

    /// The wait before retry number `retry` (1 for the first retry): `baseDelay · 2^(retry-1)` capped
    /// at `maxDelay`, then jittered into [half of that, all of it]. `unit` is a random value in 0...1.
    public func backoff(retry: Int, unit: Double = Double.random(in: 0...1)) -> Duration {
        let exponent = Double(min(max(retry - 1, 0), 30))
        let capped = min(baseDelay.seconds * pow2(exponent), maxDelay.seconds)
        let jitter = min(max(unit, 0), 1)
        return .seconds(capped / 2 + capped / 2 * jitter)
    }

    private func pow2(_ exponent: Double) -> Double {
        var result = 1.0
        for _ in 0..<Int(exponent) { result *= 2 }
        return result
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// The same span as a NIO `TimeAmount`.
    var timeAmount: TimeAmount {
        let parts = components
        return .nanoseconds(parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000)
    }

    /// Seconds, formatted for hints ("2.5 s", "30 s").
    var hintText: String {
        let value = seconds
        if value.rounded() == value { return "\(Int(value)) s" }
        return "\((value * 10).rounded() / 10) s"
    }
}
