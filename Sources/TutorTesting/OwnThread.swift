import Foundation

/// Runs `body` on a thread of its own instead of Swift concurrency's shared pool.
///
/// The shared pool has one thread per core: two on a two-core CI machine. A test that computes for
/// seconds without suspending (grading a hundred answers, scoring a retrieval corpus in a debug
/// build) holds one of them, two such tests hold both, and every other test's timers then wake
/// late: a 0.4 s stall deadline once fired after 9 s. Such a test wraps its body in this. The body
/// stays in the calling task (task-locals, and so Swift Testing's issue recording, still work).
public func onOwnThread<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
    let executor = ThreadExecutor()
    defer { executor.stop() }
    return try await withTaskExecutorPreference(executor) { try await body() }
}

/// A task executor with one dedicated thread, which runs the jobs given to it in order.
public final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    private struct State {
        var jobs: [UnownedJob] = []
        var stopped = false
    }

    private let condition = NSCondition()
    private var state = State()  // guarded by `condition`

    public init() {
        let thread = Thread { [self] in run() }
        thread.name = "tutor-test-own-thread"
        thread.start()
    }

    /// Queues `job` for the thread; once stopped, hands it to the shared pool (a task started in
    /// the body that outlives it still runs).
    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        if state.stopped {
            condition.unlock()
            globalConcurrentExecutor.enqueue(unowned)
            return
        }
        state.jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    /// Ends the thread once the jobs queued so far have run.
    public func stop() {
        condition.lock()
        state.stopped = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while state.jobs.isEmpty && !state.stopped { condition.wait() }
            if state.jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = state.jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
