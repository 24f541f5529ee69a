import TutorCivilDate
import TutorJSON
import TutorModel
import TutorSecrets

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns an endpoint's error response into an `LLMError`, recognising the wording of OpenAI,
/// llama.cpp, vLLM and Ollama. Pure.
enum ErrorMapping {
    /// The most of an error body that is read.
    static let maximumErrorBodySize = 64 * 1024
    /// The most of a server message kept in an error.
    static let maximumMessageLength = 1_000

    /// What an error body says: the message and, when the server gave them, its type and code.
    struct ServerError: Sendable, Equatable {
        var message: String?
        var type: String?
        var code: String?

        /// Everything in lower case, for wording checks.
        var searchText: String {
            [message, type, code].compactMap { $0 }.joined(separator: " ").lowercased()
        }
    }

    /// Reads an error body: `{"error":{"message","type","code"}}` (OpenAI, llama.cpp, newer vLLM,
    /// Ollama's /v1), `{"error":"…"}` (Ollama's native API), `{"message":…,"type":…}` (older vLLM),
    /// `{"detail":…}` (FastAPI servers), else the text itself.
    static func serverError(from body: some Collection<UInt8>) -> ServerError {
        if let json = JSONValue.parse(body) {
            if let found = serverError(fromJSON: json) { return found }
            return ServerError(message: clip(json.encodedString()))
        }
        let text = String(decoding: body, as: UTF8.self).trimmingWhitespace
        return ServerError(message: text.isEmpty ? nil : clip(text))
    }

    /// Reads an error object found in JSON (an error body or an error inside a stream); nil if none.
    static func serverError(fromJSON json: JSONValue) -> ServerError? {
        if let error = json["error"], !error.isNull {
            if let text = error.string { return ServerError(message: clip(text)) }
            if error.object != nil {
                let message = error["message"]?.string ?? error["msg"]?.string ?? error["detail"]?.string
                return ServerError(
                    message: message.map { clip($0) } ?? clip(error.encodedString()),
                    type: error["type"]?.scalarText,
                    code: error["code"]?.scalarText
                )
            }
            return ServerError(message: clip(error.encodedString()))
        }
        if let message = json["message"]?.string {
            return ServerError(message: clip(message), type: json["type"]?.scalarText, code: json["code"]?.scalarText)
        }
        if let detail = json["detail"] {
            return ServerError(message: clip(detail.string ?? detail.encodedString()))
        }
        return nil
    }

    /// Wording that means the request did not fit the context window.
    static let contextLengthPhrases = [
        "context_length_exceeded",  // OpenAI code
        "maximum context length",  // OpenAI, vLLM: "This model's maximum context length is N tokens"
        "exceed_context_size_error",  // llama.cpp type
        "exceeds the available context size",  // llama.cpp message
        "context size has been exceeded",  // llama.cpp, older
        "exceeds the context length",  // Ollama: "input length exceeds the context length"
        "exceeds the maximum context",
        "context length exceeded",
        "context window exceeded",
        "greater than the context length",  // LM Studio
        "prompt is too long",
        "prompt too long",  // Ollama: "prompt too long; exceeded max context length by N tokens"
        "exceeded max context length",
        "input is too long",
        "too many input tokens",
    ]

    static func isContextLengthError(_ error: ServerError) -> Bool {
        let text = error.searchText
        return contextLengthPhrases.contains { text.contains($0) }
    }

    /// Wording that means the model is not served: OpenAI's `model_not_found` and "The model `x`
    /// does not exist", vLLM's "The model `x` does not exist.", Ollama's `model "x" not found`.
    static func isUnknownModelError(_ error: ServerError) -> Bool {
        let text = error.searchText
        if text.contains("model_not_found") || text.contains("unknown model") || text.contains("no such model") { return true }
        guard text.contains("model") else { return false }
        return text.contains("not found") || text.contains("does not exist") || text.contains("not exist")
            || text.contains("is not available") || text.contains("not loaded")
    }

    /// Wording of an authentication failure sent with another status than 401 or 403: LiteLLM's
    /// proxy answers a missing key with HTTP 500 ("Authentication Error, No api key passed in.") and
    /// a wrong one with 400 ("Invalid proxy server token passed"); others say "invalid api key".
    static let authenticationPhrases = [
        "authentication error", "authenticationerror", "no api key passed", "malformed api key", "invalid api key",
        "invalid_api_key", "incorrect api key", "invalid proxy server token", "api key not valid", "missing api key",
        "invalid authentication", "not authenticated", "unauthorized",
    ]

    static func isAuthenticationError(_ error: ServerError) -> Bool {
        let text = error.searchText
        return authenticationPhrases.contains { text.contains($0) }
    }

    /// What a non-2xx status with this body means, before any model listing.
    static func classify(status: Int, error: ServerError) -> LLMError.Code {
        if status == 401 || status == 403 { return .unauthorized }
        if status >= 400, isAuthenticationError(error) { return .unauthorized }
        if isContextLengthError(error) { return .contextLengthExceeded }
        if status == 429 { return .rateLimited }
        if status == 404 || ((400..<500).contains(status) && isUnknownModelError(error)) { return .unknownModel }
        if status == 413 { return .contextLengthExceeded }
        return .httpError
    }

    /// The error for a non-2xx response. `availableModels` is what GET /models listed (nil if that
    /// failed); it is only consulted for an unknown model.
    static func error(
        status: Int,
        body: some Collection<UInt8>,
        configuration: OpenAICompatibleConfiguration,
        availableModels: [String]?,
        retryAfter: Duration? = nil,
        location: String? = nil
    ) -> LLMError {
        let server = serverError(from: body)
        let code = classify(status: status, error: server)
        let hint: String
        switch code {
        case .httpError where (300..<400).contains(status):
            let target = location.map { " to \(RedactedURL.shown($0))" } ?? ""
            hint =
                "The endpoint at \(configuration.baseURL) redirected\(target) (HTTP \(status)). Tutor does not follow redirects, "
                + "so the API key, llm.extra_headers and your messages never go to an address you did not choose: "
                + "if you trust the new address, set llm.base_url to it."
        case .unauthorized where status != 401 && status != 403:
            // A gateway's own dialect (LiteLLM's 500 and 400): the key may be the learner's, or the
            // one the gateway holds for the provider behind it.
            hint =
                (configuration.hasAPIKey
                    ? "The endpoint answered HTTP \(status) with an authentication error: it refused the API key; check TUTOR_LLM_API_KEY."
                    : "The endpoint answered HTTP \(status) with an authentication error and no API key is set; set TUTOR_LLM_API_KEY.")
                + " Behind a proxy such as LiteLLM, the proxy's own key for the provider behind it may be the one at fault."
        case .unauthorized:
            hint =
                configuration.hasAPIKey
                ? "The endpoint refused the API key; check TUTOR_LLM_API_KEY."
                : "The endpoint needs an API key and none is set; check TUTOR_LLM_API_KEY."
        case .contextLengthExceeded:
            hint = "The conversation does not fit the model's context window; start a new session or send less text."
        case .rateLimited:
            let wait = retryAfter.map { " (it asked to wait \($0.hintText))" } ?? ""
            hint = "The endpoint is rate limiting requests\(wait); wait a moment and try again."
        case .unknownModel where status == 404 && availableModels == nil && !isUnknownModelError(server):
            hint =
                "The endpoint at \(configuration.baseURL) answered HTTP 404 and has no model list at \(configuration.baseURL)/models: "
                + "the base URL looks wrong. It usually ends in /v1 (Ollama's is http://localhost:11434/v1, not /api)."
        case .unknownModel:
            hint = unknownModelHint(model: configuration.model, baseURL: configuration.baseURL, availableModels: availableModels)
        default:
            hint = "The endpoint at \(configuration.baseURL) answered HTTP \(status)."
        }
        return LLMError(code, status: status, serverMessage: server.message, hint: hint)
    }

    /// The error for a GET {base}/models that failed with `status`: a server or gateway with no
    /// model list (a 404 also comes from a base URL that misses `/v1`, such as Ollama's `/api`).
    static func modelListError(status: Int, body: some Collection<UInt8>, baseURL: String) -> LLMError {
        let server = serverError(from: body)
        if status == 401 || status == 403 {
            return LLMError(
                .unauthorized, status: status, serverMessage: server.message,
                hint: "The endpoint refused to list its models; check TUTOR_LLM_API_KEY.")
        }
        return LLMError(
            .httpError, status: status, serverMessage: server.message,
            hint: "This server has no model list (GET \(baseURL)/models answered HTTP \(status)); "
                + "set TUTOR_LLM_CONTEXT_WINDOW to the model's context window, and check that the base URL is the "
                + "OpenAI-compatible one (it usually ends in /v1; Ollama's is http://localhost:11434/v1, not /api).")
    }

    static func unknownModelHint(model: String, baseURL: String, availableModels: [String]?) -> String {
        guard let availableModels else {
            return "The endpoint does not serve model '\(model)', and listing its models (GET \(baseURL)/models) failed; "
                + "check the model name and the base URL."
        }
        if availableModels.isEmpty {
            return "The endpoint does not serve model '\(model)' and lists no models at \(baseURL)/models; check the base URL."
        }
        let shown = availableModels.prefix(20).joined(separator: ", ")
        let more = availableModels.count > 20 ? ", … (\(availableModels.count) in all)" : ""
        return "The endpoint does not serve model '\(model)'; it lists: \(shown)\(more). Set the model name to one of these."
    }

    static func clip(_ text: String, to limit: Int = maximumMessageLength) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }

    // MARK: Retry-After

    /// Reads `retry-after-ms` (OpenAI) or `Retry-After` as delta-seconds or an HTTP-date; nil if
    /// absent or unreadable. A date in the past gives zero.
    static func retryAfter(retryAfterMilliseconds: String?, retryAfter: String?, now: Date = Date()) -> Duration? {
        if let text = retryAfterMilliseconds?.trimmingWhitespace, let milliseconds = Double(text), milliseconds.isFinite,
            milliseconds >= 0
        {
            return .milliseconds(Int64(milliseconds.rounded(.up)))
        }
        guard let text = retryAfter?.trimmingWhitespace, !text.isEmpty else { return nil }
        if let seconds = Double(text) {
            guard seconds.isFinite, seconds >= 0 else { return nil }
            return .milliseconds(Int64((seconds * 1000).rounded(.up)))
        }
        guard let date = parseHTTPDate(text) else { return nil }
        let interval = date.timeIntervalSince(now)
        return interval <= 0 ? .zero : .milliseconds(Int64((interval * 1000).rounded(.up)))
    }

    private static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Parses an HTTP-date (RFC 9110): the IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", the obsolete
    /// RFC 850 form "Sunday, 06-Nov-94 08:49:37 GMT" and asctime "Sun Nov  6 08:49:37 1994".
    static func parseHTTPDate(_ text: String) -> Date? {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" }).map { String($0).lowercased() }
        var day: Int?
        var month: Int?
        var year: Int?
        var time: (Int, Int, Int)?
        for token in tokens {
            if let index = monthNames.firstIndex(of: String(token.prefix(3))), token.count == 3 {
                month = index + 1
            } else if token.contains(":") {
                let parts = token.split(separator: ":").compactMap { Int($0) }
                guard parts.count == 3 else { return nil }
                time = (parts[0], parts[1], parts[2])
            } else if let number = Int(token) {
                if token.count <= 2 && day == nil {
                    day = number
                } else if year == nil {
                    year = token.count == 2 ? (number < 70 ? 2000 + number : 1900 + number) : number
                }
            }
        }
        guard let day, let month, let year, let time, (1...31).contains(day), time.0 < 24, time.1 < 60, time.2 < 61 else {
            return nil
        }
        let days = CivilDate.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + time.0 * 3_600 + time.1 * 60 + time.2
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}

extension String {
    /// The string without leading and trailing whitespace and newlines.
    var trimmingWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else {
            return ""
        }
        return String(self[first...last])
    }
}
