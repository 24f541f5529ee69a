/// A failure talking to a model endpoint: what happened, the HTTP status and the server's own
/// message when there was one, and a hint that says what to do.
public struct LLMError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable {
        /// The endpoint could not be reached (refused, DNS, TLS).
        case connectionFailed
        /// No response head within the request deadline, or the stream stalled.
        case timedOut
        /// The API key was missing or refused (401/403).
        case unauthorized
        /// The model is not served by this endpoint.
        case unknownModel
        /// The request did not fit the model's context window.
        case contextLengthExceeded
        /// Too many requests (429) after the retries allowed.
        case rateLimited
        /// Any other HTTP error status.
        case httpError
        /// The server sent an error object inside the stream.
        case streamError
        /// The server sent something that is not the expected protocol.
        case malformedResponse
        /// The stream ended before the answer finished.
        case truncated
    }

    public var code: Code
    public var status: Int?
    public var serverMessage: String?
    public var hint: String

    public init(_ code: Code, status: Int? = nil, serverMessage: String? = nil, hint: String) {
        self.code = code
        self.status = status
        self.serverMessage = serverMessage
        self.hint = hint
    }

    public var description: String {
        var parts: [String] = []
        if let status { parts.append("HTTP \(status)") }
        if let serverMessage, !serverMessage.isEmpty { parts.append("the server said: \(serverMessage)") }
        let detail = parts.isEmpty ? "" : " (\(parts.joined(separator: "; ")))"
        return "\(code.rawValue)\(detail). \(hint)"
    }
}
