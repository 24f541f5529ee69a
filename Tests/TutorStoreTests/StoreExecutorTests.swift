import Foundation
import Testing

@testable import TutorStore

@Suite("StoreExecutor")
struct StoreExecutorTests {
    /// The daemon relies on this: a request that prefers the store's executor runs its synchronous
    /// work there, after every suspension too, and so do its child tasks and the default actors it
    /// calls (a chat session is one), so no store call lands on an event loop or Swift's shared pool.
    @Test func aTaskPreferringItRunsOnItsThreadsAcrossSuspensionsChildTasksAndActors() async throws {
        let executor = StoreExecutor(threads: 1, name: "test-store")
        let counter = Counter()
        let seen = await Task(executorPreference: executor) { () -> [Bool] in
            var seen = [executor.isCurrent]
            try? await Task.sleep(for: .milliseconds(5))
            seen.append(executor.isCurrent)
            async let child = executor.isCurrent
            seen.append(await child)
            seen.append(await counter.incrementOnExecutor(executor))
            return seen
        }.value
        #expect(seen == [true, true, true, true])
        // Without the preference, the same work runs elsewhere.
        #expect(await Task { executor.isCurrent }.value == false)
    }

    @Test func aStoreKeepsTheExecutorItWasGiven() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-executor-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let executor = StoreExecutor(threads: 1, name: "test-keep")
        let store = try Store(path: folder + "/tutor.sqlite", executor: executor)
        #expect(store.executor === executor)
        try store.close()
        let other = try Store(path: folder + "/other.sqlite")
        #expect(other.executor == nil)
        try other.close()
    }
}

private actor Counter {
    var value = 0
    func incrementOnExecutor(_ executor: StoreExecutor) -> Bool {
        value += 1
        return executor.isCurrent
    }
}
