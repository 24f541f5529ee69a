import Foundation
import TutorAgent
import TutorModel
import TutorStore

/// Keeps chat transcripts in the store's conversation and message tables.
public struct StoreTranscript: TranscriptStore {
    let store: Store
    let now: @Sendable () -> Date

    public init(store: Store, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    public nonisolated(nonsending) func messages(session: String) async throws -> [ChatMessage] {
        try store.messages(conversation: session).map(Self.message)
    }

    public nonisolated(nonsending) func load(
        session: String
    ) async throws -> (
        messages: [ChatMessage], summary: (text: String, covers: Int)?
    ) {
        let stored = try store.conversation(session)
        return (stored.messages.map(Self.message), stored.summary.flatMap(Self.summary))
    }

    static func message(_ record: MessageRecord) -> ChatMessage {
        let calls = record.toolCalls.flatMap { try? JSONDecoder().decode([ToolCall].self, from: Data($0.utf8)) }
        return ChatMessage(
            role: ChatMessage.Role(rawValue: record.role) ?? .user,
            content: record.content.isEmpty && calls != nil ? nil : record.content,
            toolCalls: calls, toolCallID: record.toolCallId)
    }

    /// The summary is kept in the conversation row as JSON: `{"covers": N, "text": "…"}`.
    struct StoredSummary: Codable {
        var covers: Int
        var text: String
    }

    public nonisolated(nonsending) func summary(session: String) async throws -> (text: String, covers: Int)? {
        try store.conversationSummary(session).flatMap(Self.summary)
    }

    static func summary(_ raw: String) -> (text: String, covers: Int)? {
        guard let stored = try? JSONDecoder().decode(StoredSummary.self, from: Data(raw.utf8)) else { return nil }
        return (stored.text, stored.covers)
    }

    public nonisolated(nonsending) func saveSummary(_ text: String, covers: Int, session: String) async throws {
        let data = try JSONEncoder().encode(StoredSummary(covers: covers, text: text))
        try store.saveConversationSummary(String(decoding: data, as: UTF8.self), conversation: session, at: now())
    }

    public nonisolated(nonsending) func append(_ messages: [ChatMessage], session: String) async throws {
        let records = try messages.map { message in
            MessageRecord(
                conversationName: session, role: message.role.rawValue, content: message.content ?? "",
                toolCalls: try message.toolCalls.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) },
                toolCallId: message.toolCallID, createdAt: now())
        }
        try store.appendMessages(records, conversation: session, at: now())
    }
}
