import NIOCore

/// Runs a task's jobs on one NIO event loop, the loop the HTTP client's connections live on.
///
/// AsyncHTTPClient does its work on event loops. Called from Swift's global pool, every request
/// wakes a loop for its deadline timer and hands the request over to the connection's loop, and
/// every body part hands back to the pool: thread switches that cost more than the work. A task
/// that prefers this executor calls the client from the loop itself, where scheduling is a queue
/// push and the pool's preferred loop (`EventLoopGroup.any()`) is that same loop. Only
/// non-blocking work belongs here: the loop also serves the connections' I/O.
final class EventLoopExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
