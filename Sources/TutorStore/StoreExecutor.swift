import Dispatch
import Synchronization

import class Foundation.Thread

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A task executor with threads of its own, for async code whose work blocks on SQLite.
///
/// Every store call is synchronous: it holds its thread while SQLite reads pages, waits for the
/// write lock or commits. On Swift's cooperative pool (as wide as the machine has cores) such a
/// wait takes a thread from every other task; on a NIO event loop it stalls the I/O of every
/// connection on that loop. A task that prefers this executor (`withTaskExecutorPreference`,
/// `Task(executorPreference:)`) runs its synchronous work here instead, and so do the default
/// actors it calls; HTTP work still runs on its event loops (see `TutorLLM`'s `EventLoopExecutor`).
/// See `Docs/decisions/0010-store-executor.md`.
public final class StoreExecutor: TaskExecutor, Sendable {
    /// The daemon's one store executor, started at first use.
    public static let shared = StoreExecutor(threads: 2, name: "tutor-store")

    private let jobs = Mutex(JobQueue())
    private let available = DispatchSemaphore(value: 0)
    private let threadIDs = Mutex<[pthread_t]>([])

    /// Starts `threads` threads named `name-0`, `name-1`, …; they live as long as the process.
    public init(threads: Int, name: String) {
        for index in 0..<max(1, threads) {
            let thread = Thread { [self] in
                Thread.current.name = "\(name)-\(index)"
                threadIDs.withLock { $0.append(pthread_self()) }
                work()
            }
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        available.signal()
    }

    /// Whether the calling thread is one of this executor's.
    public var isCurrent: Bool {
        let current = pthread_self()
        return threadIDs.withLock { $0.contains { pthread_equal($0, current) != 0 } }
    }

    private func work() {
        while true {
            available.wait()
            guard let job = jobs.withLock({ $0.removeFirst() }) else { continue }
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// First in, first out, without `Array.removeFirst`'s shifting on every job.
private struct JobQueue {
    private var items: [UnownedJob] = []
    private var head = 0

    mutating func append(_ job: UnownedJob) { items.append(job) }

    mutating func removeFirst() -> UnownedJob? {
        guard head < items.count else { return nil }
        let job = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        }
        return job
    }
}
