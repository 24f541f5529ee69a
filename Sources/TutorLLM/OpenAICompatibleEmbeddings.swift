import AsyncHTTPClient
import Logging
import NIOCore
import TutorJSON
import TutorModel

/// An embedding model behind an OpenAI-compatible `/v1/embeddings` endpoint. Texts are sent in
/// batches; vectors come back in the order of the texts.
public final class OpenAICompatibleEmbeddings: EmbeddingModel {
    public let configuration: OpenAICompatibleConfiguration
    /// The most texts sent in one request.
    public let batchSize: Int
    private let transport: HTTPTransport

    /// The largest embeddings response read: 64 MiB.
    static let maximumResponseSize = 64 * 1024 * 1024

    public init(configuration: OpenAICompatibleConfiguration, httpClient: HTTPClient, logger: Logger, batchSize: Int = 64) {
        self.configuration = configuration
        self.batchSize = max(1, batchSize)
        self.transport = HTTPTransport(configuration: configuration, httpClient: httpClient, logger: logger)
    }

    public var name: String { configuration.model }

    /// One vector per text, in order. Errors are `LLMError`s.
    public func embed(_ texts: [String]) async throws -> [[Float]] {
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        var start = 0
        while start < texts.count {
            let batch = Array(texts[start..<min(start + batchSize, texts.count)])
            vectors += try await embedBatch(batch)
            start += batch.count
        }
        return vectors
    }

    private func embedBatch(_ texts: [String]) async throws -> [[Float]] {
        let body = try Self.requestBody(model: configuration.model, texts: texts).encodedBytes()
        let request = transport.makeRequest(path: "/embeddings", body: body)
        let transport = self.transport
        do {
            let bytes = try await transport.perform(request, operation: "embeddings") { response in
                try await transport.readBody(response.body, limit: Self.maximumResponseSize, truncate: false)
            }
            return try Self.decodeResponse(bytes, expectedCount: texts.count, endpoint: configuration.baseURL)
        } catch {
            throw transport.mapTransportError(error)
        }
    }

    /// `{"model": …, "input": [texts]}`.
    static func requestBody(model: String, texts: [String]) -> JSONValue {
        .object(["model": .string(model), "input": .array(texts.map(JSONValue.string))])
    }

    /// Reads `{"data":[{"index":i,"embedding":[…]}]}`, ordering the vectors by `index` (or by position
    /// where an entry has none).
    static func decodeResponse(_ bytes: [UInt8], expectedCount: Int, endpoint: String) throws(LLMError) -> [[Float]] {
        func malformed(_ why: String) -> LLMError {
            LLMError(
                .malformedResponse,
                serverMessage: ErrorMapping.clip(String(decoding: bytes.prefix(400), as: UTF8.self), to: 200),
                hint: "The embeddings response from \(endpoint) \(why)."
            )
        }
        guard let json = JSONValue.parse(bytes), let data = json["data"]?.array else {
            throw malformed("is not the expected JSON")
        }
        guard data.count == expectedCount else {
            throw malformed("has \(data.count) vectors for \(expectedCount) texts")
        }
        var ordered = [[Float]?](repeating: nil, count: expectedCount)
        for (position, entry) in data.enumerated() {
            let index = entry["index"]?.looseInt ?? position
            guard (0..<expectedCount).contains(index), ordered[index] == nil else {
                throw malformed("has a bad or repeated index \(index)")
            }
            guard let values = entry["embedding"]?.array else { throw malformed("has an entry without an embedding") }
            var vector: [Float] = []
            vector.reserveCapacity(values.count)
            for value in values {
                guard let number = value.double else { throw malformed("has a non-numeric embedding value") }
                vector.append(Float(number))
            }
            ordered[index] = vector
        }
        return ordered.map { $0 ?? [] }
    }
}
