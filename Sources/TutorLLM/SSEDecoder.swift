/// One dispatched server-sent event.
public struct SSEEvent: Sendable, Equatable {
    /// The `event:` field, or "message" when the event had none.
    public var type: String
    /// The `data:` lines joined with "\n".
    public var data: String
    /// The last event ID seen so far in the stream (it persists across events, as the spec says).
    public var lastEventID: String

    public init(type: String = "message", data: String, lastEventID: String = "") {
        self.type = type
        self.data = data
        self.lastEventID = lastEventID
    }
}

/// Why the decoder refused its input.
public enum SSEDecoderError: Error, Sendable, Equatable {
    /// One event (its data plus the line being read) grew beyond the limit, in bytes.
    case eventTooLarge(limit: Int)
}

/// Decodes a `text/event-stream` body as the WHATWG HTML "server-sent events" section specifies:
/// feed it byte chunks as they arrive, get complete events out. Lines end with LF, CRLF or CR
/// (also when the CR and LF arrive in different chunks); an empty line dispatches; comments (":")
/// are ignored; `data:` lines are joined with "\n". Pure: no I/O, no NIO.
public struct SSEDecoder: Sendable {
    /// The default limit on one event's size: 4 MiB.
    public static let defaultMaximumEventSize = 4 * 1024 * 1024

    public let maximumEventSize: Int
    /// The `retry:` value last received, in milliseconds.
    public private(set) var reconnectionTime: Int?

    private var line: [UInt8] = []
    private var lastByteWasCR = false
    private var isFirstLine = true
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType = ""
    private var lastEventID = ""

    public init(maximumEventSize: Int = SSEDecoder.defaultMaximumEventSize) {
        self.maximumEventSize = maximumEventSize
    }

    /// Consumes a chunk of bytes and returns the events it completed, in order. After a throw the
    /// partial event and the rest of the chunk are discarded; the next chunk starts a fresh line.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(SSEDecoderError) -> [SSEEvent] {
        var events: [SSEEvent] = []
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\n"):
                if lastByteWasCR {
                    // The LF of a CRLF whose CR already ended the line.
                    lastByteWasCR = false
                    continue
                }
                if let event = try endLine() { events.append(event) }
            case UInt8(ascii: "\r"):
                lastByteWasCR = true
                if let event = try endLine() { events.append(event) }
            default:
                lastByteWasCR = false
                line.append(byte)
                if line.count + data.count > maximumEventSize {
                    discardEvent()
                    throw .eventTooLarge(limit: maximumEventSize)
                }
            }
        }
        return events
    }

    /// Call at the end of the stream. The spec discards an event that was not ended by an empty line;
    /// this returns it instead (including an unterminated last line) so the caller can decide, e.g.
    /// accept a final `[DONE]` that lacked its blank line. Resets the decoder.
    public mutating func finish() -> SSEEvent? {
        if !line.isEmpty { processField() }
        let pending = hasData ? makeEvent() : nil
        discardEvent()
        lastByteWasCR = false
        return pending
    }

    private mutating func endLine() throws(SSEDecoderError) -> SSEEvent? {
        defer {
            line.removeAll(keepingCapacity: true)
            isFirstLine = false
        }
        if isFirstLine, line.starts(with: [0xEF, 0xBB, 0xBF]) {
            line.removeFirst(3)
        }
        if line.isEmpty {
            let event = hasData ? makeEvent() : nil
            data.removeAll(keepingCapacity: true)
            hasData = false
            eventType = ""
            return event
        }
        processField()
        if data.count > maximumEventSize {
            discardEvent()
            throw .eventTooLarge(limit: maximumEventSize)
        }
        return nil
    }

    private mutating func processField() {
        if line.first == UInt8(ascii: ":") { return }  // A comment.
        let field: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            field = line[..<colon]
            value = line[(colon + 1)...]
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        } else {
            field = line[...]
            value = []
        }
        switch String(decoding: field, as: UTF8.self) {
        case "data":
            if hasData { data.append(UInt8(ascii: "\n")) }
            data.append(contentsOf: value)
            hasData = true
        case "event":
            eventType = String(decoding: value, as: UTF8.self)
        case "id":
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        case "retry":
            if !value.isEmpty, value.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
                reconnectionTime = Int(String(decoding: value, as: UTF8.self))
            }
        default:
            break  // Unknown fields are ignored.
        }
    }

    private func makeEvent() -> SSEEvent {
        SSEEvent(
            type: eventType.isEmpty ? "message" : eventType,
            data: String(decoding: data, as: UTF8.self),
            lastEventID: lastEventID
        )
    }

    private mutating func discardEvent() {
        line.removeAll(keepingCapacity: false)
        lastByteWasCR = false
        data.removeAll(keepingCapacity: false)
        hasData = false
        eventType = ""
    }
}
