import ArgumentParser
import Dispatch
import Synchronization
import TutorClient
import TutorWire

#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `tutor chat`: talk with the tutor, interactively or one message at a time with `-m`.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat with your tutor (interactive, or one message with -m).",
        discussion: "In the interactive prompt, /help lists the slash commands. History is kept between sessions."
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .shortAndLong, help: "Send one message, print the reply, and exit.")
    var message: String?

    @Option(help: "The chat session to use; each session keeps its own conversation.")
    var session: String = "default"

    @Flag(help: "Show the tutor's machinery: tool calls as they finish, and compactions (/tools toggles this in the prompt).")
    var tools = false

    func run() async throws {
        if let message {
            let outcome = try await global.withConnection { try await send(message, session: session, on: $0) }
            if outcome == .interrupted { throw ExitCode(130) }
            return
        }
        try await interactive()
    }

    /// How a call on the chat's connection ended.
    enum Outcome: Equatable {
        /// The daemon answered (or refused, which was printed).
        case answered
        /// Ctrl-C closed the connection; the daemon cancelled the turn and kept the partial answer.
        case interrupted
        /// The connection closed before anything came back (the daemon's idle timeout, a restart):
        /// nothing was done, so the line can be sent again on a new connection.
        case dropped
    }

    /// Sends one turn and streams the reply. Ctrl-C while it runs closes the connection, so the
    /// daemon cancels the turn and keeps the partial answer marked as interrupted.
    private func send(_ text: String, session: String, on connection: TutorConnection, showTools: Bool? = nil) async throws -> Outcome {
        let interrupted = OnceFlag()
        let heard = OnceFlag()
        let interrupter = connection.interrupter
        let watcher = InterruptWatcher {
            interrupted.set()
            interrupter.interrupt()
        }
        defer { watcher.stop() }
        do {
            try await sendTurn(text, session: session, on: connection, heard: heard, showTools: showTools ?? tools)
            return .answered
        } catch let error as ClientError where error.code == .disconnected {
            if interrupted.isSet {
                writeError("\n(interrupted; the partial answer is kept in the session)")
                return .interrupted
            }
            if heard.isSet || message != nil { throw error }
            return .dropped
        }
    }

    private func sendTurn(_ text: String, session: String, on connection: TutorConnection, heard: OnceFlag, showTools: Bool) async throws {
        var streamed = false
        /// Whether the terminal's cursor is at the start of a line (a notice gets a line of its own).
        var atLineStart = true
        let params = ChatSendParams(session: session, message: text)
        let result = try await connection.call(ChatSendMethod.self, params) { method, raw in
            heard.set()
            guard let event = ChatNotification(method: method, params: raw) else { return }
            switch event {
            case .delta(let delta):
                streamed = true
                if global.json {
                    try printJSONLine(["type": "delta", "session": delta.session, "text": delta.text])
                } else if !delta.text.isEmpty {
                    writeOut(delta.text)
                    atLineStart = delta.text.hasSuffix("\n")
                }
            case .tool(let event):
                if global.json {
                    try printJSONLine(event)
                } else if showTools, event.phase == "finished" {
                    // The tutor's own machinery: shown only when asked for (--tools, /tools).
                    writeError("  [\(event.name) \(event.ok == true ? "ok" : "failed: \(event.summary ?? "")")]")
                }
            case .notice(let notice):
                if global.json {
                    try printJSONLine(NoticeLine(notice))
                } else if notice.kind == .compaction {
                    // Machinery too: shown with the tool calls (--tools, /tools).
                    if showTools { writeError("  [\(notice.text)]") }
                } else {
                    streamed = true
                    writeOut((atLineStart ? "" : "\n") + notice.text + "\n")
                    atLineStart = true
                }
            }
        }
        if global.json {
            try printJSONLine(result)
        } else if !streamed {
            print(result.reply)
        } else if !atLineStart {
            print("")
        }
    }

    /// The interactive prompt. One connection serves the whole conversation; a new one is opened
    /// only after Ctrl-C interrupted a turn, or when the daemon closed an idle connection.
    private func interactive() async throws {
        var state = PromptState(session: session, showTools: tools)
        let editor = LineEditor(historyPath: global.paths.dataDirectory + "/chat_history")
        var greeted = false
        while true {
            let quit = try await global.withConnection { connection in
                if !greeted {
                    greeted = true
                    try await greet(on: connection, session: state.session)
                }
                return try await converse(on: connection, state: &state, editor: editor)
            }
            if quit { break }
        }
        print("")
    }

    /// What the prompt carries from one connection to the next.
    struct PromptState {
        var session: String
        /// A line to send again on a new connection, because the last one closed before answering it.
        var pending: String?
        /// Whether tool calls are shown (`--tools`, toggled by `/tools`).
        var showTools = false
    }

    private func greet(on connection: TutorConnection, session: String) async throws {
        let status = try await connection.call(StatusMethod.self, NoParams())
        guard !global.json else { return }
        let model = status.endpoint == nil ? "the built-in offline model" : "\(status.model) at \(status.endpoint ?? "?")"
        print("Tutor \(status.version) — session '\(session)', using \(model).")
        print("Type a message, or /help for commands. Ctrl-D or /quit leaves.")
        // New messages from the scheduler, without marking them read.
        if let inbox = try? await connection.call(InboxListMethod.self, InboxListParams(keepUnread: true)), inbox.unread > 0 {
            print("\nYou have \(inbox.unread) new message(s) (`tutor inbox` to read them):")
            for message in inbox.messages.prefix(5) { print("  • \(message.title)") }
        }
    }

    /// Reads and answers lines until the learner leaves (true) or the connection must be replaced (false).
    private func converse(on connection: TutorConnection, state: inout PromptState, editor: LineEditor) async throws -> Bool {
        while true {
            let resent = state.pending
            state.pending = nil
            guard let line = resent ?? editor.readLine(prompt: "\(state.session)> ") else { return true }
            let text = line.trimmingWhitespace()
            if text.isEmpty { continue }
            if text.hasPrefix("/") {
                if try await slashCommand(text, on: connection, state: &state, editor: editor) { return true }
                continue
            }
            let outcome: Outcome
            do {
                outcome = try await send(text, session: state.session, on: connection, showTools: state.showTools)
            } catch let error as ClientError where error.code == .daemon {
                if error.rpcError?.code == RPCError.methodNotFoundCode {
                    print("tutor: this tutord cannot chat yet — \(error.message)")
                } else {
                    print("tutor: \(error.message)")
                }
                continue
            }
            switch outcome {
            case .answered: continue
            case .interrupted: return false
            case .dropped:
                // Once: a connection that closes again before answering is a real failure.
                if resent != nil { throw ClientError(.disconnected, "tutord closed the connection twice before answering; see its log") }
                state.pending = text
                return false
            }
        }
    }

    /// Runs a slash command; true when it asks to leave.
    private func slashCommand(
        _ text: String, on connection: TutorConnection, state: inout PromptState, editor: LineEditor
    ) async throws -> Bool {
        let parts = text.dropFirst().split(separator: " ", maxSplits: 1).map(String.init)
        let session = state.session
        switch parts.first ?? "" {
        case "quit", "exit", "q":
            return true
        case "help", "?":
            print(Self.help)
        case "session":
            if parts.count > 1 {
                state.session = parts[1].trimmingWhitespace()
                print("Now in session '\(state.session)'.")
            } else {
                print("Current session: '\(session)'. Switch with /session NAME.")
            }
        case "status":
            let status = try await connection.call(StatusMethod.self, NoParams())
            print(
                "tutord \(status.version), pid \(status.pid), model \(status.model), \(status.counts.goals) goals, \(status.counts.tasks) tasks"
            )
        case "context":
            let report = try await connection.call(ChatContextMethod.self, ChatSessionParams(session: session))
            if report.sections.isEmpty {
                print("Nothing sent yet in '\(session)'. The model's window is \(report.limit) tokens.")
            } else {
                print(
                    "Context of the last request in '\(session)': \(report.sections.map(\.tokens).reduce(0, +)) of \(report.limit) tokens, \(report.compactions) compactions"
                )
                for section in report.sections {
                    print("  \(section.name.padded(to: 34)) \(section.tokens) (budget \(section.budget))")
                }
            }
        case "reset":
            let result = try await connection.call(ChatResetMethod.self, ChatSessionParams(session: session))
            print(result.existed ? "Session '\(session)' forgotten; starting afresh." : "Session '\(session)' had nothing to forget.")
        case "tools":
            state.showTools.toggle()
            print(state.showTools ? "Tool calls and compactions are shown as they happen." : "Tool calls and compactions are hidden.")
        case "history":
            for (index, entry) in editor.history().suffix(20).enumerated() { print("\(index + 1)  \(entry)") }
        case "clear":
            writeControl("\u{1B}[2J\u{1B}[H")
        default:
            print("Unknown command /\(parts.first ?? ""). /help lists the commands.")
        }
        return false
    }

    static let help = """
        /help            this list
        /session [NAME]  show or switch the chat session
        /context         how the last request used the model's context window
        /reset           forget this session's conversation
        /status          the daemon's state
        /tools           show or hide the tutor's tool calls and compactions
        /history         the last lines you typed
        /clear           clear the screen
        /quit            leave (Ctrl-D works too)
        """
}

/// Prints one compact JSON object on its own line.
func printJSONLine(_ value: some Encodable) throws {
    let encoder = WireCodec.makeEncoder()
    Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// A `chat.notice` as one line of `tutor chat --json`.
struct NoticeLine: Encodable {
    var type = "notice"
    var session: String
    var kind: String
    var text: String
    var messages: Int?
    var tokens: Int?

    init(_ notice: ChatNotice) {
        session = notice.session
        kind = notice.kind.rawValue
        text = notice.text
        messages = notice.messages
        tokens = notice.tokens
    }
}

/// A flag set once from any thread (a signal handler, a notification) and read later.
final class OnceFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}

/// Turns Ctrl-C into a callback while it is installed, instead of killing the process.
final class InterruptWatcher: @unchecked Sendable {
    private let source: any DispatchSourceSignal

    init(_ onInterrupt: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler(handler: onInterrupt)
        source.resume()
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
