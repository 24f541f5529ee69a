import Foundation
import PropertyBased
import Testing

@testable import TutorWire

/// Property-based fuzzing of the wire decoder: whatever bytes arrive, decoding returns a request
/// or a JSON-RPC error — it never traps, hangs or returns anything else.
@Suite("Wire decoder under hostile input")
struct WireFuzzTests {
    /// Fragments that make near-valid JSON-RPC: the decoder's interesting edges.
    static let fragments = [
        "{", "}", "[", "]", ",", ":", "\"jsonrpc\"", "\"2.0\"", "\"id\"", "\"method\"", "\"params\"", "\"status\"",
        "\"chat.send\"", "\"notes.search\"", "null", "true", "false", "0", "-1", "1e999999", "-0.0", "18446744073709551616",
        "9223372036854775808", "\"\\u0000\"", "\"\\ud800\"", "\"a\\\"b\"", "\"é\"", "{}", "[]", " ", "\t", "\u{0}", "\u{FEFF}",
    ]

    static let fragmentLine = Gen.element(of: fragments).map { $0 ?? "" }.array(of: 0...40).map { $0.joined() }

    static let methods = [
        "status", "config.show", "chat.send", "chat.context", "goal.add", "task.done", "study.log", "plan.week", "notes.ingest",
        "notes.search", "jobs.set", "inbox.list", "export", "import", "review.grade",
    ]

    /// Every params type the daemon decodes, by method name.
    static func decodeParams(_ head: RequestHead) throws(RPCError) {
        switch head.method {
        case "chat.send": _ = try head.decodeParams(ChatSendParams.self)
        case "chat.context": _ = try head.decodeParams(ChatSessionParams.self)
        case "goal.add": _ = try head.decodeParams(GoalAddParams.self)
        case "task.done": _ = try head.decodeParams(TaskDoneParams.self)
        case "study.log": _ = try head.decodeParams(StudyLogParams.self)
        case "plan.week": _ = try head.decodeParams(PlanParams.self)
        case "notes.ingest": _ = try head.decodeParams(NotesIngestParams.self)
        case "notes.search": _ = try head.decodeParams(NotesSearchParams.self)
        case "jobs.set": _ = try head.decodeParams(JobsSetParams.self)
        case "inbox.list": _ = try head.decodeParams(InboxListParams.self)
        case "export": _ = try head.decodeParams(ExportParams.self)
        case "import": _ = try head.decodeParams(ImportParams.self)
        case "review.grade": _ = try head.decodeParams(ReviewGradeParams.self)
        default: _ = try head.decodeParams(NoParams.self)
        }
    }

    static func check(_ bytes: [UInt8]) {
        switch WireCodec.decodeRequest(bytes) {
        case .success(let head):
            do {
                try decodeParams(head)
            } catch {
                #expect(error.code == RPCError.invalidParamsCode, "params errors are -32602: \(error)")
                #expect(!error.message.isEmpty)
            }
        case .failure(let response):
            #expect(
                [RPCError.parseErrorCode, RPCError.invalidRequestCode, RPCError.invalidParamsCode].contains(response.error.code),
                "\(response.error)")
            // The error itself always encodes to one line.
            #expect((try? WireCodec.encodeLine(response))?.last == UInt8(ascii: "\n"))
        }
    }

    @Test("random bytes decode to a request or a JSON-RPC error")
    func randomBytes() async {
        await propertyCheck(count: 3000, input: Gen.uint8().array(of: 0...400)) { bytes in
            Self.check(bytes)
        }
    }

    @Test("near-JSON made of JSON-RPC fragments decodes to a request or an error")
    func fragmentSoup() async {
        await propertyCheck(count: 3000, input: Self.fragmentLine) { line in
            Self.check(Array(line.utf8))
        }
    }

    @Test("valid envelopes with random params for real methods give a result or -32602, never a crash")
    func randomParams() async {
        let params = Gen.oneOf(
            Self.fragmentLine.eraseToAnySequence(),
            Gen.element(of: [
                "{\"session\":1}", "{\"message\":[]}", "{\"paths\":\"x\"}", "{\"k\":1e400}", "{\"minutes\":-5}",
                "{\"query\":null}", "{\"id\":\"7\"}", "{\"snapshot\":{}}", "[1,2]", "\"s\"",
            ])
            .map { $0 ?? "{}" }.eraseToAnySequence())
        await propertyCheck(count: 2000, input: Gen.element(of: Self.methods).map { $0 ?? "status" }, params) { method, params in
            Self.check(Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\(method)\",\"params\":\(params)}".utf8))
        }
    }

    @Test("deep nesting, huge numbers and long strings are refused cleanly")
    func pathological() {
        for depth in [100, 1000, 100_000] {
            Self.check(
                Array(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"chat.send\",\"params\":" + String(repeating: "[", count: depth)).utf8))
            Self.check(
                Array(
                    ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\",\"params\":" + String(repeating: "{\"a\":", count: depth) + "1"
                        + String(repeating: "}", count: depth) + "}").utf8))
        }
        // Deep nesting is refused before parsing, with a message that says so.
        let deep = Array(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\",\"params\":" + String(repeating: "[", count: 65)).utf8)
        guard case .failure(let refused) = WireCodec.decodeRequest(deep) else {
            Issue.record("65 levels of nesting must be refused")
            return
        }
        #expect(refused.error.code == RPCError.invalidRequestCode && refused.error.message.contains("64 levels"))
        // Brackets inside strings do not count.
        #expect(WireCodec.nestingDepth(Array("{\"a\":\"[[[[[[\\\"[[[\"}".utf8), stoppingAfter: 64) == 1)
        Self.check(Array("{\"jsonrpc\":\"2.0\",\"id\":1e999999999,\"method\":\"status\"}".utf8))
        Self.check(Array("{\"jsonrpc\":\"2.0\",\"id\":\(String(repeating: "9", count: 5000)),\"method\":\"status\"}".utf8))
        Self.check(Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\(String(repeating: "x", count: 100_000))\"}".utf8))
        Self.check([0xFF, 0xFE, 0xFD] + Array("{\"jsonrpc\":\"2.0\"}".utf8))
    }
}
