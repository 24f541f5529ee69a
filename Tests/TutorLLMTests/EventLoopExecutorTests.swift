import NIOCore
import NIOPosix
import Testing
import TutorModel

@testable import TutorLLM

@Suite("EventLoopExecutor")
struct EventLoopExecutorTests {
    /// The chat stream's HTTP work relies on this: a task that prefers the executor runs on its
    /// loop, and comes back to it after every suspension, so the HTTP client is called from its
    /// own loop rather than across threads.
    @Test func aTaskPreferringItRunsOnItsLoopAcrossSuspensions() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let executor = EventLoopExecutor(group.next())
        let onLoop = await Task(executorPreference: executor) { () -> [Bool] in
            var seen = [executor.eventLoop.inEventLoop]
            try? await Task.sleep(for: .milliseconds(5))
            seen.append(executor.eventLoop.inEventLoop)
            // Child tasks inherit the preference (the stall watchdog's task group has two).
            async let child = executor.eventLoop.inEventLoop
            seen.append(await child)
            return seen
        }.value
        #expect(onLoop == [true, true, true])
        // Without the preference, the same work runs on Swift's global pool.
        #expect(await Task { executor.eventLoop.inEventLoop }.value == false)
        try await group.shutdownGracefully()
    }
}
