/// The model boundary: `ChatModel` and `EmbeddingModel` protocols and the OpenAI-compatible
/// client (streaming chat completions, tool-call assembly, embeddings, retries, timeouts).
/// Knows nothing of tutoring.
public enum TutorLLM {}
