import Foundation
import NIOCore
import NIOHTTP1

/// Renders scripted chunks as SSE events shaped like OpenAI's `chat.completion.chunk`s.
struct FakeStream {
    var id: String
    var model: String
    var created: Int
    var lineEnd: String
    var multilineData: Bool

    /// `data: [DONE]` and the blank line.
    var doneEvent: String { "data: [DONE]" + lineEnd + lineEnd }

    /// The event for `chunk`; the first content or tool-call delta also carries `"role":"assistant"`.
    func event(for chunk: FakeChunk, first: Bool) -> String {
        let role: [(String, FakeJSON)] = first ? [("role", "assistant")] : []
        switch chunk {
        case .text(let text):
            return data(envelope(choices: [choice(delta: role + [("content", .string(text))], finish: nil)]))
        case .toolCall(let index, let callID, let name, let arguments):
            var call: [(String, FakeJSON)] = []
            if let index { call.append(("index", .int(index))) }
            if let callID { call += [("id", .string(callID)), ("type", "function")] }
            var function: [(String, FakeJSON)] = []
            if let name { function.append(("name", .string(name))) }
            function.append(("arguments", .string(arguments)))
            call.append(("function", .object(function)))
            let delta = role + (first ? [("content", .null)] : []) + [("tool_calls", .array([.object(call)]))]
            return data(envelope(choices: [choice(delta: delta, finish: nil)]))
        case .finish(let reason):
            return data(envelope(choices: [choice(delta: [], finish: reason)]))
        case .usage(let prompt, let completion, let emptyChoices):
            let choices = emptyChoices ? [] : [choice(delta: [], finish: nil)]
            return data(envelope(choices: choices, usage: .usage(prompt: prompt, completion: completion)))
        case .error(let message, let type, let code):
            let error: FakeJSON = .object([
                ("error", .object([("message", .string(message)), ("type", .string(type)), ("code", code.map { .string($0) } ?? .null)]))
            ])
            return data(error)
        case .raw(let text):
            return event(lines: text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        case .comment(let text):
            return ": " + text + lineEnd + lineEnd
        }
    }

    /// The events for `chunks` in order, as ``event(for:first:)`` renders them. Text chunks after
    /// the first differ only in their text, so they are filled into one rendering of the envelope:
    /// long streams in benchmarks should not spend the fake server's time building the same JSON.
    func events(for chunks: [FakeChunk]) -> [String] {
        let template = data(envelope(choices: [choice(delta: [("content", .string(""))], finish: nil)]))
        let marker = "\"content\":\"\""
        guard !multilineData, let range = template.range(of: marker) else {
            return chunks.enumerated().map { event(for: $1, first: $0 == 0) }
        }
        let prefix = template[..<range.lowerBound] + "\"content\":"
        let suffix = template[range.upperBound...]
        return chunks.enumerated().map { index, chunk in
            guard index > 0, case .text(let text) = chunk else { return event(for: chunk, first: index == 0) }
            return prefix + FakeJSON.string(text).text + suffix
        }
    }

    private func choice(delta: [(String, FakeJSON)], finish: String?) -> FakeJSON {
        .object([("index", .int(0)), ("delta", .object(delta)), ("finish_reason", finish.map { .string($0) } ?? .null)])
    }

    private func envelope(choices: [FakeJSON], usage: FakeJSON? = nil) -> FakeJSON {
        var members: [(String, FakeJSON)] = [
            ("id", .string(id)), ("object", "chat.completion.chunk"), ("created", .int(created)),
            ("model", .string(model)), ("choices", .array(choices)),
        ]
        if let usage { members.append(("usage", usage)) }
        return .object(members)
    }

    private func data(_ json: FakeJSON) -> String {
        event(lines: multilineData ? json.lines : [json.text])
    }

    private func event(lines: [String]) -> String {
        lines.map { "data: " + $0 + lineEnd }.joined() + lineEnd
    }
}

/// Writes raw HTTP/1.1 responses, so faults (split writes, stalls, resets) are fully under our control.
struct FakeResponseWriter {
    var outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    var channel: any Channel
    var keepAlive: Bool

    /// Whether the connection has gone (the client left or shutdown closed it).
    var isClosed: Bool { !channel.isActive }

    /// A complete response with `Content-Length`.
    func plain(status: Int, contentType: String, body: String, headers: [(String, String)] = []) async throws {
        var head = statusLine(status)
        if !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
            head += "Content-Type: \(contentType)\r\n"
        }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.utf8.count)\r\n"
        if !keepAlive { head += "Connection: close\r\n" }
        try await outbound.write(ByteBuffer(string: head + "\r\n" + body))
    }

    /// The head of a chunked `text/event-stream` response.
    func streamHead() async throws {
        var head = statusLine(200)
        head += "Content-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n"
        if !keepAlive { head += "Connection: close\r\n" }
        try await outbound.write(ByteBuffer(string: head + "\r\n"))
    }

    /// `text` as one HTTP chunk, or when `split` as many small ones (1, 2, 3, 5, 7, 11 bytes, repeating), each its own write.
    func streamBytes(_ text: String, split: Bool) async throws {
        let bytes = Array(text.utf8)
        guard split else {
            try await outbound.write(chunk(bytes[...]))
            return
        }
        let sizes = [1, 2, 3, 5, 7, 11]
        var offset = 0
        var step = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + sizes[step % sizes.count])
            try await outbound.write(chunk(bytes[offset..<end]))
            offset = end
            step += 1
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    /// Each event as its own HTTP chunk, written and flushed one by one (one send each, as a server
    /// streaming tokens does), from one task on the channel's event loop: writing them through the
    /// async writer cost the fake server a hand-off between threads per chunk, which the
    /// benchmarks would count as the daemon's time. Writes queued earlier on `outbound` go first.
    func streamEvents(_ events: [String]) async throws {
        let channel = self.channel
        let buffers = events.map { chunk(Array($0.utf8)[...]) }
        try await channel.eventLoop.submit {
            for buffer in buffers { channel.writeAndFlush(buffer, promise: nil) }
        }.get()
    }

    /// The last, empty chunk.
    func streamEnd() async throws {
        try await outbound.write(ByteBuffer(string: "0\r\n\r\n"))
    }

    private func chunk(_ bytes: ArraySlice<UInt8>) -> ByteBuffer {
        var buffer = ByteBuffer(string: String(bytes.count, radix: 16) + "\r\n")
        buffer.writeBytes(bytes)
        buffer.writeString("\r\n")
        return buffer
    }

    private func statusLine(_ status: Int) -> String {
        "HTTP/1.1 \(status) \(HTTPResponseStatus(statusCode: status).reasonPhrase)\r\n"
    }
}
