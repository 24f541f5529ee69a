import Testing
import TutorModel

@testable import TutorLLM

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite("Error mapping")
struct ErrorMappingTests {
    private let configuration = OpenAICompatibleConfiguration(baseURL: "http://h:1", model: "tutor-7b", apiKey: "k")

    private func map(
        _ status: Int, _ body: String, models: [String]? = nil, configuration: OpenAICompatibleConfiguration? = nil
    )
        -> LLMError
    {
        ErrorMapping.error(
            status: status, body: Array(body.utf8), configuration: configuration ?? self.configuration, availableModels: models)
    }

    @Test(
        "Context-length errors in every dialect",
        arguments: [
            // OpenAI
            (
                400,
                #"{"error":{"message":"This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#
            ),
            // llama.cpp (current and older wording)
            (
                400,
                #"{"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error","n_prompt_tokens":9000,"n_ctx":8192}}"#
            ),
            (
                400,
                #"{"error":{"code":400,"message":"request (4476 tokens) exceeds the available context size (4096 tokens)","type":"invalid_request_error"}}"#
            ),
            // vLLM (old top-level and current nested shapes)
            (
                400,
                #"{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.","type":"BadRequestError","param":null,"code":400}"#
            ),
            (
                400,
                #"{"error":{"message":"'max_tokens' or 'max_completion_tokens' is too large: 8192. This model's maximum context length is 8192 tokens and your request has 1210 input tokens (8192 > 8192 - 1210).","type":"BadRequestError","param":null,"code":400}}"#
            ),
            // Ollama (OpenAI-compatible and native shapes)
            (
                400,
                #"{"error":{"message":"the input length exceeds the context length","type":"invalid_request_error","param":null,"code":null}}"#
            ),
            (500, #"{"error":"prompt too long; exceeded max context length by 120 tokens"}"#),
        ])
    func contextLength(status: Int, body: String) {
        let error = map(status, body)
        #expect(error.code == .contextLengthExceeded)
        #expect(error.status == status)
        #expect(error.serverMessage?.isEmpty == false)
    }

    @Test func unauthorizedHintMentionsTheEnvironmentVariable() {
        let error = map(
            401, #"{"error":{"message":"Incorrect API key provided: sk-ab***","type":"invalid_request_error","code":"invalid_api_key"}}"#)
        #expect(error.code == .unauthorized)
        #expect(error.hint.contains("TUTOR_LLM_API_KEY"))
        #expect(error.serverMessage == "Incorrect API key provided: sk-ab***")
        let noKey = map(403, "Forbidden", configuration: OpenAICompatibleConfiguration(baseURL: "http://h", model: "m"))
        #expect(noKey.code == .unauthorized)
        #expect(noKey.hint.contains("TUTOR_LLM_API_KEY"))
        #expect(noKey.hint.contains("none is set"))
    }

    @Test(
        "a gateway's authentication dialect is an authentication error, whatever its status",
        arguments: [
            (500, #"{"error":{"message":"Authentication Error, No api key passed in.","type":"auth_error","param":"None","code":"500"}}"#),
            (
                400,
                #"{"error":{"message":"Authentication Error, Invalid proxy server token passed. valid_token=None.","type":"auth_error","code":"400"}}"#
            ),
            (500, #"{"error":{"message":"Malformed API Key passed in. Ensure Key has `Bearer ` prefix.","type":"auth_error"}}"#),
            (400, #"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}"#),
        ])
    func gatewayAuthentication(status: Int, body: String) {
        let error = map(status, body, configuration: OpenAICompatibleConfiguration(baseURL: "http://h", model: "m"))
        #expect(error.code == .unauthorized, "\(error)")
        #expect(error.hint.contains("TUTOR_LLM_API_KEY") && error.hint.contains("HTTP \(status)"), "\(error.hint)")
        #expect(error.hint.contains("no API key is set"))
        // A plain server failure is not one.
        #expect(map(500, #"{"error":{"message":"internal error: CUDA out of memory"}}"#).code != .unauthorized)
    }

    @Test func unknownModelHintListsModels() {
        let openAI = map(
            404, #"{"error":{"message":"The model `tutor-7b` does not exist or you do not have access to it.","code":"model_not_found"}}"#,
            models: ["llama3.1:8b", "qwen2.5:7b"])
        #expect(openAI.code == .unknownModel)
        #expect(openAI.hint.contains("llama3.1:8b, qwen2.5:7b"))
        #expect(openAI.hint.contains("tutor-7b"))

        let ollama = map(404, #"{"error":{"message":"model \"tutor-7b\" not found, try pulling it first","type":"api_error"}}"#, models: [])
        #expect(ollama.code == .unknownModel)
        #expect(ollama.hint.contains("lists no models"))

        let vLLM = map(400, #"{"object":"error","message":"The model `tutor-7b` does not exist.","type":"NotFoundError","code":404}"#)
        #expect(vLLM.code == .unknownModel)
        #expect(vLLM.hint.contains("failed"))
    }

    @Test func plainTextAndOtherShapes() {
        let plain = map(502, "  Bad Gateway\n")
        #expect(plain.code == .httpError)
        #expect(plain.serverMessage == "Bad Gateway")
        #expect(plain.hint.contains("HTTP 502"))

        let empty = map(500, "")
        #expect(empty.serverMessage == nil)

        let fastAPI = map(422, #"{"detail":"Field required"}"#)
        #expect(fastAPI.code == .httpError)
        #expect(fastAPI.serverMessage == "Field required")

        let topLevel = map(400, #"{"message":"bad temperature","type":"BadRequestError"}"#)
        #expect(topLevel.serverMessage == "bad temperature")

        let stringError = map(500, #"{"error":"something broke"}"#)
        #expect(stringError.serverMessage == "something broke")

        let rate = map(429, #"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#)
        #expect(rate.code == .rateLimited)
    }

    @Test func longMessagesAreClipped() {
        let error = map(500, String(repeating: "x", count: 5_000))
        #expect((error.serverMessage?.count ?? 0) <= ErrorMapping.maximumMessageLength + 1)
    }

    @Test func retryAfterSeconds() {
        #expect(ErrorMapping.retryAfter(retryAfterMilliseconds: nil, retryAfter: "3") == .seconds(3))
        #expect(ErrorMapping.retryAfter(retryAfterMilliseconds: nil, retryAfter: " 0.5 ") == .milliseconds(500))
        #expect(ErrorMapping.retryAfter(retryAfterMilliseconds: "250", retryAfter: "3") == .milliseconds(250))
        #expect(ErrorMapping.retryAfter(retryAfterMilliseconds: nil, retryAfter: "-1") == nil)
        #expect(ErrorMapping.retryAfter(retryAfterMilliseconds: nil, retryAfter: "soon") == nil)
        #expect(ErrorMapping.retryAfter(retryAfterMilliseconds: nil, retryAfter: nil) == nil)
    }

    @Test func retryAfterHTTPDate() throws {
        // 1994-11-06 08:49:37 UTC is 784111777 seconds after the epoch.
        let now = Date(timeIntervalSince1970: 784_111_770)
        #expect(ErrorMapping.retryAfter(retryAfterMilliseconds: nil, retryAfter: "Sun, 06 Nov 1994 08:49:37 GMT", now: now) == .seconds(7))
        #expect(ErrorMapping.retryAfter(retryAfterMilliseconds: nil, retryAfter: "Sunday, 06-Nov-94 08:49:37 GMT", now: now) == .seconds(7))
        #expect(ErrorMapping.retryAfter(retryAfterMilliseconds: nil, retryAfter: "Sun Nov  6 08:49:37 1994", now: now) == .seconds(7))
        let later = Date(timeIntervalSince1970: 784_111_800)
        #expect(ErrorMapping.retryAfter(retryAfterMilliseconds: nil, retryAfter: "Sun, 06 Nov 1994 08:49:37 GMT", now: later) == .zero)
        #expect(ErrorMapping.parseHTTPDate("Thu, 01 Jan 1970 00:00:00 GMT") == Date(timeIntervalSince1970: 0))
        #expect(ErrorMapping.parseHTTPDate("Tue, 29 Feb 2028 12:00:00 GMT") == Date(timeIntervalSince1970: 1_835_438_400))
        #expect(ErrorMapping.parseHTTPDate("not a date") == nil)
    }

    @Test func backoffBounds() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        #expect(policy.backoff(retry: 1, unit: 0) == .milliseconds(50))
        #expect(policy.backoff(retry: 1, unit: 1) == .milliseconds(100))
        #expect(policy.backoff(retry: 3, unit: 1) == .milliseconds(400))
        #expect(policy.backoff(retry: 10, unit: 1) == .seconds(1))
        #expect(policy.backoff(retry: 10, unit: 0) == .milliseconds(500))
        for retry in 1...8 {
            for _ in 0..<20 {
                let delay = policy.backoff(retry: retry)
                let cap = min(Duration.milliseconds(100) * (1 << (retry - 1)), .seconds(1))
                #expect(delay >= cap / 2 && delay <= cap)
            }
        }
        #expect(RetryPolicy(maxAttempts: 0).maxAttempts == 1)
    }

    @Test(
        "Base URL normalisation",
        arguments: [
            ("http://localhost:8080/v1", "http://localhost:8080/v1"),
            ("http://localhost:8080", "http://localhost:8080/v1"),
            ("http://localhost:8080/", "http://localhost:8080/v1"),
            ("http://localhost:8080/v1/", "http://localhost:8080/v1"),
            (" http://localhost:11434/v1/chat/completions ", "http://localhost:11434/v1"),
            ("https://openrouter.ai/api/v1", "https://openrouter.ai/api/v1"),
        ])
    func baseURL(raw: String, normalised: String) {
        #expect(OpenAICompatibleConfiguration.normalizeBaseURL(raw) == normalised)
    }

    @Test func baseURLIsNormalisedWhenSetLater() {
        var configuration = OpenAICompatibleConfiguration(baseURL: "http://a:1/v1", model: "m")
        configuration.baseURL = "http://b:2/"
        #expect(configuration.baseURL == "http://b:2/v1")
    }

    @Test func configurationDescriptionHidesTheKey() {
        let configuration = OpenAICompatibleConfiguration(baseURL: "http://h", model: "m", apiKey: "sk-very-secret")
        #expect(!configuration.description.contains("sk-very-secret"))
        #expect(configuration.description.contains("apiKey: set"))
    }
}
