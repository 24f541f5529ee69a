import NIOCore

/// One frame read from a client: a line (without its newline), or the notice that a line was too long.
public enum InboundFrame: Sendable, Equatable {
    case line(ByteBuffer)
    /// A line longer than the limit; `bytes` is how much had arrived when it was cut off. The rest of
    /// that line is discarded up to its newline, and the connection goes on.
    case oversized(bytes: Int)
}

/// Splits a byte stream into newline-terminated lines of at most `maximumLineBytes` bytes.
///
/// Unlike a plain line splitter that fails the channel on an oversized line, this reports the
/// oversized line once and then skips to the next newline, so one bad request costs one error
/// response, not the connection. A trailing `\r` is stripped and empty lines are ignored.
public struct JSONLineFrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = InboundFrame

    public let maximumLineBytes: Int
    private var discarding = false

    public init(maximumLineBytes: Int) {
        self.maximumLineBytes = maximumLineBytes
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> InboundFrame? {
        while true {
            let view = buffer.readableBytesView
            guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
                if discarding {
                    buffer.moveReaderIndex(to: buffer.writerIndex)
                } else if buffer.readableBytes > maximumLineBytes {
                    let seen = buffer.readableBytes
                    buffer.moveReaderIndex(to: buffer.writerIndex)
                    discarding = true
                    return .oversized(bytes: seen)
                }
                return nil
            }
            let length = newline - buffer.readerIndex
            if discarding {
                buffer.moveReaderIndex(forwardBy: length + 1)
                discarding = false
                continue
            }
            if length > maximumLineBytes {
                buffer.moveReaderIndex(forwardBy: length + 1)
                return .oversized(bytes: length)
            }
            var line = buffer.readSlice(length: length)!
            buffer.moveReaderIndex(forwardBy: 1)
            if line.readableBytesView.last == UInt8(ascii: "\r") {
                line.moveWriterIndex(to: line.writerIndex - 1)
            }
            if line.readableBytes == 0 { continue }
            return .line(line)
        }
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> InboundFrame? {
        if let frame = try decode(buffer: &buffer) { return frame }
        // A final line without a newline still counts, unless it was part of an oversized line.
        guard !discarding, buffer.readableBytes > 0 else {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return nil
        }
        let line = buffer.readSlice(length: buffer.readableBytes)!
        return .line(line)
    }
}
