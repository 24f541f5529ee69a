import Testing

@testable import TutorAgent

@Suite("Tool deadlines")
struct ToolDeadlineTests {
    /// A tool that runs until it is cancelled.
    static let stuck: @Sendable () async -> ToolResult = {
        try? await Task.sleep(for: .seconds(600))
        return .success("late")
    }

    @Test("a call that finishes returns its result")
    func finishes() async {
        #expect(await ToolDeadline.run(timeout: .seconds(30)) { .success("{}") } == .finished(.success("{}")))
    }

    @Test("a call past its deadline is cancelled and reported as timed out")
    func timesOut() async {
        #expect(await ToolDeadline.run(timeout: .milliseconds(20), Self.stuck) == .timedOut)
    }

    @Test("a call whose caller is cancelled is cancelled")
    func cancelled() async {
        let call = Task { await ToolDeadline.run(timeout: .seconds(30), Self.stuck) }
        call.cancel()
        #expect(await call.value == .cancelled)
    }

    @Test("a deadline earlier than the one the timer is armed for still fires, and the later one waits")
    func earlierDeadline() async throws {
        let deadlines = ToolDeadline.Deadlines()
        let late = ToolDeadline.Decision(), early = ToolDeadline.Decision()
        deadlines.add(late, at: .now + .seconds(600))
        deadlines.add(early, at: .now + .milliseconds(10))
        for _ in 0..<2000 where early.decided == nil { try await Task.sleep(for: .milliseconds(5)) }
        #expect(early.decided == .timedOut)
        #expect(late.decided == nil)
    }
}
