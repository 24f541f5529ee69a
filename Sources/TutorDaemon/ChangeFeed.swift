import ServiceLifecycle
import Synchronization
import TutorWire

/// Tells subscribed clients (`events.subscribe`) that the learner's data changed, after each
/// committed write. Bounded: each subscriber holds a count of commits and at most one wake-up, so
/// a client that reads slowly gets one `events.changed` for many writes and costs no more memory.
final class ChangeFeed: Sendable {
    /// Subscriptions served at once; more are refused with a `busy` error.
    static let maximumSubscribers = 32

    /// One subscription: commits not yet reported, and the wake-up of the task serving it.
    private final class Subscriber: Sendable {
        let pending = Atomic<Int>(0)
        let wake: AsyncStream<Void>.Continuation
        init(wake: AsyncStream<Void>.Continuation) { self.wake = wake }
    }

    private let subscribers = Mutex<(next: UInt64, table: [UInt64: Subscriber])>((0, [:]))

    /// Records one committed write for every subscriber. Called on the store's writer thread: it
    /// only counts and wakes.
    func publish() {
        let current = subscribers.withLock { Array($0.table.values) }
        for subscriber in current {
            subscriber.pending.wrappingAdd(1, ordering: .relaxed)
            subscriber.wake.yield()
        }
    }

    /// Serves one `events.subscribe` call: a notification per wake-up until the client goes away
    /// (the call is cancelled) or the daemon shuts down gracefully.
    func serve(_ context: RequestContext) async throws -> EventsSubscribeResult {
        let (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let subscriber = Subscriber(wake: wake)
        let id = try subscribers.withLock { state -> UInt64 in
            guard state.table.count < Self.maximumSubscribers else {
                throw RPCError(
                    code: RPCError.busyCode,
                    message:
                        "Too many event subscriptions (limit \(Self.maximumSubscribers)); close another `tutor mcp` and try again.")
            }
            state.next += 1
            state.table[state.next] = subscriber
            return state.next
        }
        defer { _ = subscribers.withLock { $0.table.removeValue(forKey: id) } }
        await context.notify(EventsSubscribeMethod.readyNotification, NoParams())
        for await _ in wakes.cancelOnGracefulShutdown() {
            let commits = subscriber.pending.exchange(0, ordering: .relaxed)
            if commits > 0 {
                await context.notify(EventsSubscribeMethod.changedNotification, EventsChangedParams(commits: commits))
            }
        }
        try Task.checkCancellation()
        return EventsSubscribeResult(ended: "shutdown")
    }

    /// How many subscriptions are open (for tests and `status`).
    var subscriberCount: Int { subscribers.withLock { $0.table.count } }
}
