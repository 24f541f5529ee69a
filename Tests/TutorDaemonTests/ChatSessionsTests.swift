import Foundation
import Testing
import TutorAgent
import TutorApp
import TutorCatalogue
import TutorOffline
import TutorPrompts
import TutorStore
import TutorTools

@testable import TutorChatSession
@testable import TutorDaemon

@Suite("Chat sessions in memory")
struct ChatSessionsTests {
    private func withSessions(_ body: (ChatSessions) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-sessions-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(path: folder + "/tutor.sqlite")
        let catalogue = try Catalogue.bundled()
        let sessions = ChatSessions(
            factory: ChatSessionFactory(
                model: OfflineModel(catalogue: catalogue), context: AppContext(store: store, catalogue: catalogue), notes: nil,
                prompts: .bundled),
            contextLimit: nil)
        try await body(sessions)
        try store.close()
    }

    @Test("beyond the idle capacity the least recently used idle session is dropped; one with a turn running is kept")
    func idleSessionsAreBounded() async throws {
        try await withSessions { sessions in
            let capacity = ChatSessions.idleCapacity
            let busy = sessions.session("busy", running: true)
            let created = (0..<capacity).map { sessions.session("s\($0)") }
            #expect(sessions.session("s0") === created[0])  // now the most recently used
            #expect(sessions.count == capacity + 1)
            _ = sessions.session("new")
            #expect(sessions.count == capacity + 1)
            #expect(sessions.session("busy") === busy)
            #expect(sessions.session("s0") === created[0])
            // "s1" was the least recently used idle one: it was dropped, so asking again makes a new one.
            #expect(sessions.session("s1") !== created[1])
            #expect(sessions.count == capacity + 1)
            sessions.finished("busy")
            #expect(sessions.count == capacity)
        }
    }

    @Test("a session dropped from memory keeps its transcript")
    func droppedSessionsComeBackFromTheStore() async throws {
        try await withSessions { sessions in
            _ = try await sessions.session("kept").send("hello") { _ in }
            for index in 0...ChatSessions.idleCapacity { _ = sessions.session("other\(index)") }
            let again = sessions.session("kept")
            let turn = try await again.send("hello again") { _ in }
            #expect(!turn.reply.isEmpty)
            let stored = try sessions.factory.store.messages(conversation: "kept")
            #expect(stored.filter { $0.role == "user" }.map(\.content) == ["hello", "hello again"])
        }
    }
}
