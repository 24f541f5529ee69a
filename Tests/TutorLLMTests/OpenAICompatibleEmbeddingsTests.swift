import AsyncHTTPClient
import Logging
import Testing
import TutorModel
import TutorTesting

@testable import TutorLLM

@Suite("OpenAICompatibleEmbeddings")
struct OpenAICompatibleEmbeddingsTests {
    @Test func batchesAndKeepsOrder() async throws {
        try await withFakeEndpoint { server, client in
            let embeddings = OpenAICompatibleEmbeddings(
                configuration: testConfiguration(baseURL: server.baseURL, model: "embed"), httpClient: client,
                logger: Logger(label: "t"), batchSize: 2)
            let texts = ["actors isolate state", "structured concurrency", "value types", "actors isolate state", "protocols"]
            let vectors = try await embeddings.embed(texts)
            #expect(vectors.count == 5)
            #expect(vectors.allSatisfy { $0.count == vectors[0].count && !$0.isEmpty })
            #expect(vectors[0] == vectors[3])
            #expect(vectors[0] != vectors[1])
            let requests = server.recordedRequests().filter { $0.path == "/v1/embeddings" }
            #expect(requests.map { ($0.json?["input"] as? [String])?.count } == [2, 2, 1])
            #expect(requests.allSatisfy { $0.json?["model"] as? String == "embed" })
            #expect(try await embeddings.embed([]) == [])
        }
    }

    @Test func responseIsReorderedByIndex() throws {
        let body = #"{"data":[{"index":1,"embedding":[2.0,2.5]},{"index":0,"embedding":[1,1.5]}]}"#
        let vectors = try OpenAICompatibleEmbeddings.decodeResponse(Array(body.utf8), expectedCount: 2, endpoint: "e")
        #expect(vectors == [[1, 1.5], [2, 2.5]])
    }

    @Test func wrongCountOrIndexIsMalformed() {
        let short = #"{"data":[{"index":0,"embedding":[1]}]}"#
        #expect(throws: LLMError.self) { try OpenAICompatibleEmbeddings.decodeResponse(Array(short.utf8), expectedCount: 2, endpoint: "e") }
        let repeated = #"{"data":[{"index":0,"embedding":[1]},{"index":0,"embedding":[2]}]}"#
        #expect(throws: LLMError.self) {
            try OpenAICompatibleEmbeddings.decodeResponse(Array(repeated.utf8), expectedCount: 2, endpoint: "e")
        }
    }

    @Test func connectionFailureIsMapped() async throws {
        try await withFakeEndpoint(connectTimeout: .milliseconds(500)) { _, client in
            // No server on port 9: a connection failure, after the configured attempts.
            let configuration = testConfiguration(
                baseURL: "http://127.0.0.1:9", connect: .milliseconds(500),
                retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(5), maxDelay: .milliseconds(5)))
            let embeddings = OpenAICompatibleEmbeddings(configuration: configuration, httpClient: client, logger: Logger(label: "t"))
            await #expect {
                _ = try await embeddings.embed(["x"])
            } throws: { error in
                (error as? LLMError)?.code == .connectionFailed
            }
        }
    }
}
