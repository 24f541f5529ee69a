import Foundation
import Testing

@testable import TutorWire

@Suite("Wire codec")
struct WireCodecTests {
    @Test("a request survives encode and decode with its id, method and params")
    func requestRoundTrip() throws {
        let request = Request(
            id: .string("abc"), method: ChatSendMethod.name, params: ChatSendParams(session: "s1", message: "héllo\nworld"))
        var line = try WireCodec.encodeLine(request)
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(line.dropLast().contains(UInt8(ascii: "\n")) == false, "a newline inside the JSON would break framing")
        line.removeLast()
        let head = try WireCodec.decodeRequest(line).get()
        #expect(head.id == .string("abc"))
        #expect(head.method == "chat.send")
        let params = try head.decodeParams(ChatSendParams.self)
        #expect(params == ChatSendParams(session: "s1", message: "héllo\nworld"))
    }

    @Test("a response round trip decodes the typed result for the matching id")
    func responseRoundTrip() throws {
        let status = StatusResult(
            version: "1", protocolVersion: 1, pid: 42, uptimeSeconds: 1.5, socketPath: "/s", dataDirectory: "/d",
            databasePath: "/d/t.sqlite", schemaVersion: 3, schemaMigration: "v3", model: "offline", endpoint: nil,
            counts: .init(goals: 2, tasks: 9))
        var line = try WireCodec.encodeLine(Response(id: .number(7), result: status))
        line.removeLast()
        guard case .success(let id, let raw) = try WireCodec.decodeIncoming(line) else {
            Issue.record("expected a success")
            return
        }
        #expect(id == .number(7))
        #expect(try WireCodec.decodeResult(StatusResult.self, from: raw) == status)
    }

    @Test("an error response with an unknown id encodes \"id\": null, as JSON-RPC requires")
    func nullID() throws {
        let line = try WireCodec.encodeLine(ErrorResponse(id: nil, error: .parseError("x")))
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.contains("\"id\":null"))
        guard case .failure(let id, let error) = try WireCodec.decodeIncoming(Array(line.dropLast())) else {
            Issue.record("expected a failure")
            return
        }
        #expect(id == nil)
        #expect(error.code == RPCError.parseErrorCode)
    }

    @Test("a line over 1 MiB is an invalid request that says the limit")
    func oversized() {
        let padding = String(repeating: "a", count: JSONRPC.maximumLineBytes)
        let line = Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\",\"params\":{\"p\":\"\(padding)\"}}".utf8)
        guard case .failure(let response) = WireCodec.decodeRequest(line) else {
            Issue.record("an oversized line was accepted")
            return
        }
        #expect(response.error.code == RPCError.invalidRequestCode)
        #expect(response.error.message.contains("1 MiB"))
    }

    @Test("invalid UTF-8 is a parse error naming the offset of the first bad byte")
    func invalidUTF8() {
        let line: [UInt8] = Array("{\"jsonrpc\":\"2.0\",\"method\":\"st".utf8) + [0xC3, 0x28] + Array("\"}".utf8)
        guard case .failure(let response) = WireCodec.decodeRequest(line) else {
            Issue.record("invalid UTF-8 was accepted")
            return
        }
        #expect(response.error.code == RPCError.parseErrorCode)
        #expect(response.error.message.contains("UTF-8"))
        #expect(response.error.message.contains("offset 29"))
    }

    @Test(
        "malformed envelopes get the right JSON-RPC code",
        arguments: [
            ("not json", RPCError.parseErrorCode),
            ("{\"jsonrpc\":\"2.0\",\"id\":1", RPCError.parseErrorCode),
            ("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\"}]", RPCError.invalidRequestCode),
            ("42", RPCError.invalidRequestCode),
            ("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"status\"}", RPCError.invalidRequestCode),
            ("{\"jsonrpc\":\"2.0\",\"id\":1}", RPCError.invalidRequestCode),
            ("{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"status\"}", RPCError.invalidRequestCode),
            ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\",\"params\":[1,2]}", RPCError.invalidParamsCode),
        ]
    )
    func malformed(line: String, code: Int) {
        guard case .failure(let response) = WireCodec.decodeRequest(Array(line.utf8)) else {
            Issue.record("\(line) was accepted")
            return
        }
        #expect(response.error.code == code, "\(line)")
    }

    @Test("bad params name the field and what it should be")
    func badParams() throws {
        let missing = try WireCodec.decodeRequest(
            Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"chat.send\",\"params\":{\"session\":\"a\"}}".utf8)
        ).get()
        #expect(throws: RPCError.self) { try missing.decodeParams(ChatSendParams.self) }
        do {
            _ = try missing.decodeParams(ChatSendParams.self)
        } catch {
            #expect(error.code == RPCError.invalidParamsCode)
            #expect(error.message.contains("missing field 'message'"))
        }
        let wrongType = try WireCodec.decodeRequest(
            Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"chat.send\",\"params\":{\"session\":\"a\",\"message\":5}}".utf8)
        ).get()
        do {
            _ = try wrongType.decodeParams(ChatSendParams.self)
            Issue.record("a number was accepted as a message")
        } catch {
            #expect(error.message.contains("'params.message' should be a string"))
        }
        let extra = try WireCodec.decodeRequest(
            Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\",\"params\":{\"verbose\":true}}".utf8)
        ).get()
        #expect(throws: RPCError.self) { try extra.decodeParams(NoParams.self) }
        let none = try WireCodec.decodeRequest(Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\"}".utf8)).get()
        #expect(try none.decodeParams(NoParams.self) == NoParams())
    }

    @Test("a notification has no id and decodes as a notification on the client")
    func notification() throws {
        var line = try WireCodec.encodeLine(Notification(id: nil, method: ChatDelta.method, params: ChatDelta(session: "s", text: "Hi")))
        line.removeLast()
        #expect(!String(decoding: line, as: UTF8.self).contains("\"id\""))
        guard case .notification(let method, let raw) = try WireCodec.decodeIncoming(line) else {
            Issue.record("expected a notification")
            return
        }
        #expect(method == "chat.delta")
        #expect(try Incoming.decodeNotification(ChatDelta.self, from: raw) == ChatDelta(session: "s", text: "Hi"))
    }

    @Test("a notification line is recognised without parsing it, and every other line takes the full path")
    func notificationProbe() throws {
        var line = try WireCodec.encodeLine(Notification(id: nil, method: ChatDelta.method, params: ChatDelta(session: "s", text: "hi")))
        line.removeLast()
        guard case .notification(let method, _) = try WireCodec.decodeReply(ChatSendResult.self, from: line) else {
            Issue.record("not read as a notification")
            return
        }
        #expect(method == ChatDelta.method)
        #expect(WireCodec.notificationMethod(line) == ChatDelta.method)
        // Escapes, a missing closing brace or another member order fall back to the decoder.
        #expect(WireCodec.notificationMethod(Array(#"{"jsonrpc":"2.0","method":"a\"b","params":{}}"#.utf8)) == nil)
        #expect(WireCodec.notificationMethod(Array(#"{"jsonrpc":"2.0","method":"chat.delta","params":["#.utf8)) == nil)
        #expect(WireCodec.notificationMethod(Array(#"{"id":1,"jsonrpc":"2.0","result":{}}"#.utf8)) == nil)
    }
}

@Suite("Paths")
struct TutorPathsTests {
    @Test("XDG folders are used, and TUTOR_* overrides win")
    func resolution() {
        let xdg = TutorPaths.resolve(environment: ["HOME": "/h", "XDG_CONFIG_HOME": "/c", "XDG_DATA_HOME": "/d", "XDG_RUNTIME_DIR": "/r"])
        #expect(xdg == TutorPaths(configFile: "/c/tutor/config.yaml", dataDirectory: "/d/tutor", socketPath: "/r/tutor/tutord.sock"))
        let bare = TutorPaths.resolve(environment: ["HOME": "/h"])
        #expect(
            bare
                == TutorPaths(
                    configFile: "/h/.config/tutor/config.yaml", dataDirectory: "/h/.local/share/tutor",
                    socketPath: "/h/.local/share/tutor/tutord.sock"))
        let overridden = TutorPaths.resolve(environment: [
            "HOME": "/h", "XDG_RUNTIME_DIR": "/r", "TUTOR_CONFIG": "/x.yaml", "TUTOR_DATA_DIR": "/data", "TUTOR_SOCKET": "/s.sock",
        ])
        #expect(overridden == TutorPaths(configFile: "/x.yaml", dataDirectory: "/data", socketPath: "/s.sock"))
    }

    @Test("a socket path longer than sun_path allows is reported with the fix")
    func longSocketPath() {
        #expect(TutorPaths.socketPathProblem("/tmp/short.sock") == nil)
        let long = "/" + String(repeating: "x", count: 120)
        #expect(TutorPaths.socketPathProblem(long)?.contains("TUTOR_SOCKET") == true)
    }

}
