import Logging
import Testing
import TutorApp
import TutorStore
import TutorWire

@testable import TutorDaemon

@Suite("Router")
struct RouterTests {
    private func router() -> Router {
        var router = Router()
        router.register(ChatSendMethod.self) { params, context in
            await context.notify(ChatDelta.method, ChatDelta(session: params.session, text: "echo: "))
            if params.message == "fail" {
                throw StoreError(.invalidInput, path: "", detail: "no such skill 'x'; see `tutor catalogue search`")
            }
            if params.message == "crash" { throw CancellationError() }
            if params.message.hasPrefix("last") {
                context.notifyWithReply(ChatDelta.method, ChatDelta(session: params.session, text: "the end"))
                if params.message == "last-fail" { throw StoreError(.invalidInput, path: "", detail: "bad") }
            }
            return ChatSendResult(session: params.session, reply: params.message)
        }
        return router
    }

    private func respond(_ router: Router, _ text: String) async -> (response: String?, notifications: [String]) {
        let sent = NotificationLog()
        let response = await router.respond(to: Array(text.utf8)) { id in
            RequestContext(id: id, logger: Logger(label: "test")) { await sent.append(String(decoding: $0, as: UTF8.self)) }
        }
        return (response.map { String(decoding: $0, as: UTF8.self) }, await sent.lines)
    }

    @Test("a known method answers with its result and streams its notifications first")
    func success() async {
        let (response, notifications) = await respond(
            router(), #"{"jsonrpc":"2.0","id":5,"method":"chat.send","params":{"session":"s","message":"hi"}}"#)
        #expect(response?.contains(#""result":{"reply":"hi","session":"s"}"#) == true)
        #expect(response?.contains(#""id":5"#) == true)
        #expect(notifications.count == 1)
        #expect(notifications.first?.contains(#""method":"chat.delta""#) == true)
    }

    @Test("a notification held for the reply goes out in the same write, before it, even when the handler fails")
    func notificationWithReply() async {
        for message in ["last", "last-fail"] {
            let (response, notifications) = await respond(
                router(), #"{"jsonrpc":"2.0","id":7,"method":"chat.send","params":{"session":"s","message":"\#(message)"}}"#)
            #expect(notifications.count == 1)
            let lines = response?.split(separator: "\n").map(String.init) ?? []
            #expect(lines.count == 2)
            #expect(lines.first?.contains(#""text":"the end""#) == true)
            #expect(lines.last?.contains(#""id":7"#) == true)
        }
    }

    @Test("an unknown method lists the known ones")
    func unknownMethod() async {
        let (response, _) = await respond(router(), #"{"jsonrpc":"2.0","id":1,"method":"plan"}"#)
        #expect(response?.contains("-32601") == true)
        #expect(response?.contains("chat.send") == true)
    }

    @Test("domain errors keep their message and get the bad-input code")
    func domainError() async {
        let (response, _) = await respond(
            router(), #"{"jsonrpc":"2.0","id":2,"method":"chat.send","params":{"session":"s","message":"fail"}}"#)
        #expect(response?.contains("\(RPCError.badInputCode)") == true)
        #expect(response?.contains("no such skill") == true)
    }

    @Test("the application's errors keep their message and get their own codes: bad input and not found")
    func applicationErrors() {
        let logger = Logger(label: "test")
        let bad = Router.rpcError(for: AppError.badInput("hours per week must be from 0.5 to 80"), method: "profile.set", logger: logger)
        #expect(bad == RPCError(code: RPCError.badInputCode, message: "hours per week must be from 0.5 to 80"))
        let missing = Router.rpcError(for: AppError.notFound("there is no task 7"), method: "task.done", logger: logger)
        #expect(missing == RPCError(code: RPCError.notFoundCode, message: "there is no task 7"))
    }

    @Test("a notification from the client runs but gets no reply, even when it fails")
    func clientNotification() async {
        let (ok, _) = await respond(router(), #"{"jsonrpc":"2.0","method":"chat.send","params":{"session":"s","message":"hi"}}"#)
        #expect(ok == nil)
        let (failed, _) = await respond(router(), #"{"jsonrpc":"2.0","method":"nope"}"#)
        #expect(failed == nil)
    }
}

actor NotificationLog {
    var lines: [String] = []
    func append(_ line: String) { lines.append(line) }
}
