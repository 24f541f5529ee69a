import ArgumentParser
import Dispatch
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

    func run() async throws {
        if let message {
            try await send(message, session: session)
            return
        }
        try await interactive()
    }

    /// Sends one turn and streams the reply to stdout.
    /// Sends one turn; Ctrl-C while it runs cancels it on the daemon (the connection closes, the
    /// daemon cancels the turn and keeps the partial answer marked as interrupted).
    private func send(_ text: String, session: String) async throws {
        let command = self
        let turn = Task { try await command.sendTurn(text, session: session) }
        let interrupt = InterruptWatcher { turn.cancel() }
        defer { interrupt.stop() }
        do {
            try await turn.value
        } catch  where turn.isCancelled {
            writeError("\n(interrupted; the partial answer is kept in the session)")
            if message != nil { throw ExitCode(130) }
        }
    }

    private func sendTurn(_ text: String, session: String) async throws {
        var streamed = false
        let result = try await global.call(ChatSendMethod.self, ChatSendParams(session: session, message: text)) { method, raw in
            switch method {
            case ChatDelta.method:
                guard let delta = try? Incoming.decodeNotification(ChatDelta.self, from: raw) else { return }
                streamed = true
                if global.json {
                    try printJSONLine(["type": "delta", "session": delta.session, "text": delta.text])
                } else {
                    writeOut(delta.text)
                }
            case ChatToolEvent.method:
                guard let event = try? Incoming.decodeNotification(ChatToolEvent.self, from: raw) else { return }
                if global.json {
                    try printJSONLine(event)
                } else if event.phase == "finished", event.name == "context", let summary = event.summary {
                    // Not a tool: the daemon summarised earlier turns to fit the model's window.
                    writeError("  [\(summary)]")
                } else if event.phase == "finished" {
                    writeError("  [\(event.name) \(event.ok == true ? "ok" : "failed: \(event.summary ?? "")")]")
                }
            default:
                return
            }
        }
        if global.json {
            try printJSONLine(result)
        } else {
            print(streamed ? "" : result.reply)
        }
    }

    private func interactive() async throws {
        let status = try await global.call(StatusMethod.self, NoParams())
        var session = self.session
        let editor = LineEditor(historyPath: global.paths.dataDirectory + "/chat_history")
        if !global.json {
            let model = status.model == "offline" ? "the built-in offline model" : "\(status.model) at \(status.endpoint ?? "?")"
            print("Tutor \(status.version) — session '\(session)', using \(model).")
            print("Type a message, or /help for commands. Ctrl-D or /quit leaves.")
            // New messages from the scheduler, without marking them read.
            if let inbox = try? await global.call(InboxListMethod.self, InboxListParams(keepUnread: true)), inbox.unread > 0 {
                print("\nYou have \(inbox.unread) new message(s) (`tutor inbox` to read them):")
                for message in inbox.messages.prefix(5) { print("  • \(message.title)") }
            }
        }
        while let line = editor.readLine(prompt: "\(session)> ") {
            let text = line.trimmingWhitespace()
            if text.isEmpty { continue }
            if text.hasPrefix("/") {
                let parts = text.dropFirst().split(separator: " ", maxSplits: 1).map(String.init)
                switch parts.first ?? "" {
                case "quit", "exit", "q":
                    return
                case "help", "?":
                    print(Self.help)
                case "session":
                    if parts.count > 1 {
                        session = parts[1].trimmingWhitespace()
                        print("Now in session '\(session)'.")
                    } else {
                        print("Current session: '\(session)'. Switch with /session NAME.")
                    }
                case "status":
                    let status = try await global.call(StatusMethod.self, NoParams())
                    print(
                        "tutord \(status.version), pid \(status.pid), model \(status.model), \(status.counts.goals) goals, \(status.counts.tasks) tasks"
                    )
                case "context":
                    let report = try await global.call(ChatContextMethod.self, ChatSessionParams(session: session))
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
                    let result = try await global.call(ChatResetMethod.self, ChatSessionParams(session: session))
                    print(
                        result.existed ? "Session '\(session)' forgotten; starting afresh." : "Session '\(session)' had nothing to forget.")
                case "history":
                    for (index, entry) in editor.history().suffix(20).enumerated() { print("\(index + 1)  \(entry)") }
                case "clear":
                    print("\u{1B}[2J\u{1B}[H", terminator: "")
                default:
                    print("Unknown command /\(parts.first ?? ""). /help lists the commands.")
                }
                continue
            }
            do {
                try await send(text, session: session)
            } catch let error as ClientError where error.code == .daemon {
                if error.rpcError?.code == RPCError.methodNotFoundCode {
                    print("tutor: this tutord cannot chat yet — \(error.message)")
                } else {
                    print("tutor: \(error.message)")
                }
            }
        }
        print("")
    }

    static let help = """
        /help            this list
        /session [NAME]  show or switch the chat session
        /context         how the last request used the model's context window
        /reset           forget this session's conversation
        /status          the daemon's state
        /history         the last lines you typed
        /clear           clear the screen
        /quit            leave (Ctrl-D works too)
        """
}

/// Prints one compact JSON object on its own line.
func printJSONLine(_ value: some Encodable) throws {
    let encoder = WireCodec.makeEncoder()
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
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
