import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing
import TutorDaemon

@Suite("Line framing")
struct JSONLineFrameDecoderTests {
    private func line(_ text: String) -> InboundFrame { .line(ByteBuffer(string: text)) }

    @Test("lines come out whole however the bytes are split across reads")
    func splitAcrossReads() throws {
        // The verifier feeds the input whole, byte by byte, and in random chunks, and checks each way.
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [
                (ByteBuffer(string: "{\"a\":1}\n"), [line("{\"a\":1}")]),
                (ByteBuffer(string: "{\"b\":2}\r\n{\"c\":3}\n"), [line("{\"b\":2}"), line("{\"c\":3}")]),
                (ByteBuffer(string: "\n\n{\"é\":\"ü\"}\n"), [line("{\"é\":\"ü\"}")]),
            ],
            decoderFactory: { JSONLineFrameDecoder(maximumLineBytes: 64) }
        )
    }

    @Test("an oversized line is reported once, skipped to its newline, and the next line still decodes")
    func oversizedThenRecovers() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(JSONLineFrameDecoder(maximumLineBytes: 16)))
        // 40 bytes with no newline yet: reported as soon as it passes the limit.
        try channel.writeInbound(ByteBuffer(string: String(repeating: "x", count: 40)))
        #expect(try channel.readInbound(as: InboundFrame.self) == .oversized(bytes: 40))
        // More of the same line, then its end, then a good line.
        try channel.writeInbound(ByteBuffer(string: String(repeating: "y", count: 30)))
        #expect(try channel.readInbound(as: InboundFrame.self) == nil)
        try channel.writeInbound(ByteBuffer(string: "zz\n{\"ok\":true}\n"))
        #expect(try channel.readInbound(as: InboundFrame.self) == line("{\"ok\":true}"))
        // A complete oversized line in one read.
        try channel.writeInbound(ByteBuffer(string: String(repeating: "q", count: 20) + "\n{}\n"))
        #expect(try channel.readInbound(as: InboundFrame.self) == .oversized(bytes: 20))
        #expect(try channel.readInbound(as: InboundFrame.self) == line("{}"))
        _ = try channel.finish()
    }

    @Test("a final line without a newline still counts at end of stream")
    func lastLineWithoutNewline() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(JSONLineFrameDecoder(maximumLineBytes: 64)))
        try channel.writeInbound(ByteBuffer(string: "{\"a\":1}\n{\"b\":2}"))
        #expect(try channel.readInbound(as: InboundFrame.self) == line("{\"a\":1}"))
        #expect(try channel.readInbound(as: InboundFrame.self) == nil)
        channel.pipeline.fireChannelInactive()
        #expect(try channel.readInbound(as: InboundFrame.self) == line("{\"b\":2}"))
        _ = try? channel.finish()
    }
}
