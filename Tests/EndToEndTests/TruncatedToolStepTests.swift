import Foundation
import Testing
import TutorStore
import TutorTesting
import TutorToolAdapters

/// A model step whose stream did not finish never runs its tool calls: cut after a complete
/// `log_study` call or inside its arguments, by a dropped connection or a body that just ends, no
/// study time is recorded, the text that came is kept marked incomplete, and the learner is told.
@Suite("Truncated tool steps", .serialized)
struct TruncatedToolStepTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let arguments: String
        let end: FakeStreamEnd
        var description: String { name }
    }

    static let cases = [
        Case(name: "dropped after the call's arguments", arguments: #"{"minutes": 45}"#, end: .drop),
        Case(name: "dropped inside the arguments", arguments: #"{"minutes": "#, end: .drop),
        Case(name: "ended without a finish after the call's arguments", arguments: #"{"minutes": 45}"#, end: .noDone),
        Case(name: "ended without a finish inside the arguments", arguments: #"{"minutes": "#, end: .noDone),
        Case(name: "stalled after the call's arguments", arguments: #"{"minutes": 45}"#, end: .stall(.seconds(5))),
    ]

    @Test("a step cut short never runs its tool calls, and the learner is told once", arguments: cases)
    func cutStep(_ testCase: Case) async throws {
        let server = try await FakeOpenAIServer.start()
        let daemon = try await TemporaryDaemon.start(extraEnvironment: [
            "TUTOR_LLM_BASE_URL": server.baseURL, "TUTOR_LLM_MODEL": "fake-model", "TUTOR_LLM_STALL_TIMEOUT": "1",
            "TUTOR_NOTIFY_DESKTOP": "false",
        ])
        defer { daemon.removeFiles() }
        server.enqueue(
            .stream(
                [
                    .text("Logging your study time."),
                    .toolCall(index: 0, id: "call_1", name: ToolName.logStudy.rawValue, arguments: testCase.arguments),
                ], end: testCase.end))
        let chat = try await daemon.runCLI(["chat", "--tools", "-m", "hmm"], timeout: .seconds(30))
        let output = chat.stdout + chat.stderr
        #expect(chat.status == 0, "\(testCase.name): \(output)")
        #expect(chat.stdout.contains("Logging your study time."), "\(testCase.name): \(output)")
        #expect(output.contains("incomplete"), "\(testCase.name): \(output)")
        let notice = "It was asking to use log_study when it stopped; that was not done"
        #expect(output.components(separatedBy: notice).count - 1 == 1, "\(testCase.name), told once: \(output)")
        #expect(!chat.stderr.contains("[log_study"), "\(testCase.name): the tool did not start: \(chat.stderr)")
        // The model was not asked again with a tool result.
        #expect(server.recordedRequests().filter { $0.path.hasSuffix("/chat/completions") }.count == 1)
        try await daemon.stop()
        let store = try Store(path: daemon.dataDirectory + "/tutor.sqlite")
        defer { try? store.close() }
        #expect(try store.studyLog().isEmpty, "\(testCase.name): no study time recorded")
        // The transcript keeps the learner's state as the model saw it, the partial text, marked,
        // and no call that never got a result.
        let messages = try store.messages(conversation: "default")
        #expect(messages.map(\.role) == ["system", "user", "assistant"])
        #expect(messages.last?.content.contains("Logging your study time.") == true)
        #expect(messages.last?.content.contains("incomplete") == true)
        #expect(messages.allSatisfy { $0.toolCalls == nil })
        try await server.shutdown()
    }
}
