import Dispatch
import Logging
import MCP

#if canImport(Glibc)
import Glibc
#endif

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Newline-delimited JSON-RPC on two file descriptors (stdin and stdout), for the SDK's `Server`.
///
/// The SDK's own `StdioTransport` reads stdin in non-blocking mode and sleeps 10 ms whenever
/// nothing is there, which adds up to 10 ms to every request of a client that waits for each
/// answer. Here a thread of its own (from Dispatch's pool) blocks in `read(2)` and hands each line over as it arrives,
/// and writes go out in order on a serial queue, blocking only that queue when the client is slow
/// to read. Lines are bounded (``maximumLineBytes``): a longer one is dropped and answered with an error.
actor LineTransport: Transport {
    /// The longest line read (4 MiB): longer ones are refused, so a client cannot grow the buffer without bound.
    static let maximumLineBytes = 4 << 20

    nonisolated let logger = Logger(label: "tutor.mcp.transport", factory: { _ in SwiftLogNoOpLogHandler() })
    private let input: Int32
    private let output: Int32
    private let writes = DispatchQueue(label: "tutor.mcp.stdout")
    private let stream: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    private var started = false

    init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO) {
        self.input = input
        self.output = output
        (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
    }

    func connect() async throws {
        guard !started else { return }
        started = true
        let (input, output, continuation, writes) = (input, output, continuation, writes)
        // A thread of Dispatch's pool, blocked in read(2) for as long as stdin is open.
        DispatchQueue(label: "tutor.mcp.stdin").async {
            Self.readLines(from: input, into: continuation) { refusal in
                writes.async { _ = Self.writeAll(Data(refusal.utf8) + [0x0A], to: output) }
            }
        }
    }

    func disconnect() async { continuation.finish() }

    func send(_ data: Data) async throws {
        let (output, writes) = (output, writes)
        let written = await withCheckedContinuation { done in
            writes.async { done.resume(returning: Self.writeAll(data + [0x0A], to: output)) }
        }
        if !written { throw MCPError.connectionClosed }
    }

    func receive() -> AsyncThrowingStream<Data, any Error> { stream }

    /// Reads until end of input, yielding each non-empty line; a line over the bound is skipped
    /// and `refuse` is given the error line to send for it.
    private static func readLines(
        from fd: Int32, into continuation: AsyncThrowingStream<Data, any Error>.Continuation, refuse: (String) -> Void
    ) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var pending: [UInt8] = []
        var skipping = false
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            var start = 0
            for index in 0..<count where buffer[index] == 0x0A {
                if !skipping {
                    pending += buffer[start..<index]
                    if !pending.isEmpty { continuation.yield(Data(pending)) }
                }
                pending.removeAll(keepingCapacity: true)
                skipping = false
                start = index + 1
            }
            if !skipping { pending += buffer[start..<count] }
            if pending.count > maximumLineBytes {
                pending.removeAll()
                skipping = true
                refuse(
                    #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid request: the line is over 4 MiB; send smaller messages."}}"#
                )
            }
        }
        continuation.finish()
    }

    /// Writes all of `data`; false when the reader has gone (EPIPE with SIGPIPE ignored) or the write failed.
    private static func writeAll(_ data: Data, to fd: Int32) -> Bool {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { return false }
                offset += written
            }
            return true
        }
    }
}
