import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Hands the heap that a burst of work left free back to the operating system.
///
/// glibc's allocator keeps freed memory in its arenas for reuse; after 100 chat turns at once that
/// is megabytes the daemon will not need again while it sits idle. When the last piece of work of
/// a burst (`peak` or more at once) finishes, `malloc_trim` releases it. Steady, one-at-a-time use
/// never trims, so it costs nothing on the common path. Elsewhere than glibc it does nothing.
final class MemoryTrimmer: Sendable {
    /// Work in progress, and the most at once since the last trim.
    private let state = Mutex<(active: Int, peak: Int)>((0, 0))
    private let burst: Int
    private let releaseCaches: @Sendable () -> Void

    /// - Parameters:
    ///   - burst: how many pieces of work at once count as a burst.
    ///   - releaseCaches: frees caches that grew with the burst, just before the heap is trimmed.
    init(burst: Int, releaseCaches: @escaping @Sendable () -> Void = {}) {
        self.burst = burst
        self.releaseCaches = releaseCaches
    }

    func enter() {
        state.withLock { state in
            state.active += 1
            state.peak = max(state.peak, state.active)
        }
    }

    /// Ends a piece of work; trims the heap if it ended a burst.
    func leave() {
        let trim = state.withLock { state -> Bool in
            state.active -= 1
            guard state.active == 0, state.peak >= burst else { return false }
            state.peak = 0
            return true
        }
        if trim {
            releaseCaches()
            Self.trimHeap()
        }
    }

    /// Releases free heap pages (glibc's `malloc_trim(0)`).
    static func trimHeap() {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        // Looked up at run time: the Glibc module does not export <malloc.h>.
        if let symbol = trimSymbol {
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        }
        #endif
    }

    #if canImport(Glibc)
    private nonisolated(unsafe) static let trimSymbol = dlsym(nil, "malloc_trim")
    #endif
}
