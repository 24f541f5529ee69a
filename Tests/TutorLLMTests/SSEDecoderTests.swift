import Testing
import TutorModel

@testable import TutorLLM

@Suite("SSEDecoder")
struct SSEDecoderTests {
    private func decodeAll(_ text: String, chunkSize: Int? = nil) throws -> [SSEEvent] {
        var decoder = SSEDecoder()
        let bytes = Array(text.utf8)
        guard let chunkSize else { return try decoder.feed(bytes) }
        var events: [SSEEvent] = []
        var start = 0
        while start < bytes.count {
            events += try decoder.feed(bytes[start..<min(start + chunkSize, bytes.count)])
            start += chunkSize
        }
        return events
    }

    @Test("LF, CRLF and CR all end lines", arguments: ["\n", "\r\n", "\r"])
    func lineEndings(_ end: String) throws {
        let text = "data: one\(end)\(end)data: two\(end)\(end)"
        #expect(try decodeAll(text).map(\.data) == ["one", "two"])
    }

    @Test func crAtEndOfChunkAndLFAtStartOfNextIsOneLineEnd() throws {
        var decoder = SSEDecoder()
        var events = try decoder.feed(Array("data: a\r".utf8))
        events += try decoder.feed(Array("\ndata: b\r".utf8))
        // If the split CRLF counted twice, the first event would have been dispatched alone.
        #expect(events.isEmpty)
        events += try decoder.feed(Array("\n\r\n".utf8))
        #expect(events.map(\.data) == ["a\nb"])
    }

    @Test func multiLineDataIsJoinedWithNewlines() throws {
        let events = try decodeAll("data: {\"a\":\ndata:1}\ndata\n\n")
        #expect(events.map(\.data) == ["{\"a\":\n1}\n"])
    }

    @Test func dataWithoutSpaceAndOnlyOneSpaceRemoved() throws {
        let events = try decodeAll("data:x\n\ndata:  y\n\n")
        #expect(events.map(\.data) == ["x", " y"])
    }

    @Test func commentsAreIgnored() throws {
        let events = try decodeAll(": keep-alive\n\n:another\ndata: real\n\n")
        #expect(events.map(\.data) == ["real"])
    }

    @Test func eventIDAndRetryFields() throws {
        var decoder = SSEDecoder()
        let events = try decoder.feed(Array("event: error\nid: 7\nretry: 1500\nretry: soon\ndata: x\n\ndata: y\n\n".utf8))
        #expect(events == [SSEEvent(type: "error", data: "x", lastEventID: "7"), SSEEvent(type: "message", data: "y", lastEventID: "7")])
        #expect(decoder.reconnectionTime == 1500)
    }

    @Test func eventWithoutDataIsNotDispatched() throws {
        #expect(try decodeAll("event: ping\n\n\n\n").isEmpty)
    }

    @Test func unknownFieldsAndLeadingBOMAreIgnored() throws {
        #expect(try decodeAll("\u{FEFF}data: a\nfoo: bar\n\n").map(\.data) == ["a"])
    }

    @Test("Events split at every byte boundary", arguments: [1, 2, 3, 7])
    func splitAcrossChunks(_ size: Int) throws {
        let text = "data: {\"choices\":[{\"delta\":{\"content\":\"h\u{E9}llo \u{1F600}\"}}]}\r\n\r\n: c\r\ndata: [DONE]\r\n\r\n"
        let events = try decodeAll(text, chunkSize: size)
        #expect(events.map(\.data) == ["{\"choices\":[{\"delta\":{\"content\":\"h\u{E9}llo \u{1F600}\"}}]}", "[DONE]"])
    }

    @Test func oversizeEventThrowsAndDecoderRecovers() throws {
        var decoder = SSEDecoder(maximumEventSize: 16)
        #expect(throws: SSEDecoderError.eventTooLarge(limit: 16)) {
            _ = try decoder.feed(Array("data: 0123456789abcdefghij\n\n".utf8))
        }
        #expect(try decoder.feed(Array("data: ok\n\n".utf8)).map(\.data) == ["ok"])
    }

    @Test func oversizeAcrossManyDataLinesThrows() throws {
        var decoder = SSEDecoder(maximumEventSize: 20)
        #expect(throws: SSEDecoderError.self) {
            for _ in 0..<10 { _ = try decoder.feed(Array("data: 12345\n".utf8)) }
        }
    }

    @Test func finishReturnsAnEventMissingItsBlankLine() throws {
        var decoder = SSEDecoder()
        #expect(try decoder.feed(Array("data: [DONE]".utf8)).isEmpty)
        #expect(decoder.finish()?.data == "[DONE]")
        #expect(decoder.finish() == nil)
    }
}
