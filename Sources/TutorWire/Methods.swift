#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A method of the daemon: its name on the wire and the types of its params and result.
public protocol RPCMethod: Sendable {
    associatedtype Params: Codable & Sendable
    associatedtype Result: Codable & Sendable
    static var name: String { get }
}

/// The version of this protocol; bumped when a method changes incompatibly.
public let tutorProtocolVersion = 1

/// `status`: who and where the daemon is, and a few counts.
public enum StatusMethod: RPCMethod {
    public static let name = "status"
    public typealias Params = NoParams
    public typealias Result = StatusResult
}

/// `shutdown`: ask the daemon to finish in-flight requests and exit (`tutor stop`).
public enum ShutdownMethod: RPCMethod {
    public static let name = "shutdown"
    public typealias Params = NoParams
    public typealias Result = ShutdownResult
}

/// `config.show`: every configuration key with its effective value and where it came from.
public enum ConfigShowMethod: RPCMethod {
    public static let name = "config.show"
    public typealias Params = NoParams
    public typealias Result = ConfigShowResult
}

/// `chat.send`: one learner turn in a named chat session; the reply streams as `chat.delta` notifications.
public enum ChatSendMethod: RPCMethod {
    public static let name = "chat.send"
    public typealias Params = ChatSendParams
    public typealias Result = ChatSendResult
}

public struct StatusResult: Codable, Sendable, Equatable {
    public struct Counts: Codable, Sendable, Equatable {
        public var goals: Int
        public var tasks: Int
        public init(goals: Int, tasks: Int) {
            self.goals = goals
            self.tasks = tasks
        }
    }

    public var version: String
    public var protocolVersion: Int
    public var pid: Int32
    public var uptimeSeconds: Double
    public var socketPath: String
    public var dataDirectory: String
    public var databasePath: String
    /// How many named migrations the database has applied.
    public var schemaVersion: Int
    /// The name of the newest applied migration.
    public var schemaMigration: String
    /// The configured model name, or `offline` when no endpoint is configured.
    public var model: String
    /// The endpoint's base URL, when one is configured.
    public var endpoint: String?
    public var counts: Counts

    public init(
        version: String, protocolVersion: Int, pid: Int32, uptimeSeconds: Double, socketPath: String,
        dataDirectory: String, databasePath: String, schemaVersion: Int, schemaMigration: String,
        model: String, endpoint: String?, counts: Counts
    ) {
        self.version = version
        self.protocolVersion = protocolVersion
        self.pid = pid
        self.uptimeSeconds = uptimeSeconds
        self.socketPath = socketPath
        self.dataDirectory = dataDirectory
        self.databasePath = databasePath
        self.schemaVersion = schemaVersion
        self.schemaMigration = schemaMigration
        self.model = model
        self.endpoint = endpoint
        self.counts = counts
    }
}

public struct ShutdownResult: Codable, Sendable, Equatable {
    public var pid: Int32
    public var message: String
    public init(pid: Int32, message: String) {
        self.pid = pid
        self.message = message
    }
}

public struct ConfigShowResult: Codable, Sendable, Equatable {
    /// One configuration key as the daemon resolved it.
    public struct Entry: Codable, Sendable, Equatable {
        public var key: String
        /// The effective value, already redacted for secrets; nil when unset.
        public var value: String?
        /// Where the value came from: `default`, `file`, `environment` or `flag`; `unset` when nothing set it.
        public var source: String
        /// The environment variable that sets this key.
        public var environment: String
        public var secret: Bool
        public var summary: String

        public init(
            key: String, value: String?, source: String, environment: String, secret: Bool, summary: String
        ) {
            self.key = key
            self.value = value
            self.source = source
            self.environment = environment
            self.secret = secret
            self.summary = summary
        }
    }

    public var configFile: String
    public var configFileLoaded: Bool
    public var entries: [Entry]

    public init(configFile: String, configFileLoaded: Bool, entries: [Entry]) {
        self.configFile = configFile
        self.configFileLoaded = configFileLoaded
        self.entries = entries
    }
}

public struct ChatSendParams: Codable, Sendable, Equatable {
    public var session: String
    public var message: String
    public init(session: String, message: String) {
        self.session = session
        self.message = message
    }
}

public struct ChatSendResult: Codable, Sendable, Equatable {
    public var session: String
    public var reply: String
    /// The model that answered (`offline` for the built-in one).
    public var model: String?
    /// Model calls this turn took, and tool calls made.
    public var steps: Int?
    public var toolCalls: Int?
    /// `stop`, `length`, `tool_calls`, `content_filter` or `truncated`.
    public var finishReason: String?
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var elapsedSeconds: Double?
    /// Of `elapsedSeconds`, the time spent waiting on the model.
    public var modelSeconds: Double?
    /// Of `promptTokens`, those the server served from its prompt cache, when it says.
    public var cachedTokens: Int?
    /// From the turn's first request to the model until its first streamed token.
    public var firstTokenSeconds: Double?

    public init(
        session: String, reply: String, model: String? = nil, steps: Int? = nil, toolCalls: Int? = nil, finishReason: String? = nil,
        promptTokens: Int? = nil, completionTokens: Int? = nil, elapsedSeconds: Double? = nil, modelSeconds: Double? = nil,
        cachedTokens: Int? = nil, firstTokenSeconds: Double? = nil
    ) {
        self.modelSeconds = modelSeconds
        self.cachedTokens = cachedTokens
        self.firstTokenSeconds = firstTokenSeconds
        self.session = session
        self.reply = reply
        self.model = model
        self.steps = steps
        self.toolCalls = toolCalls
        self.finishReason = finishReason
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.elapsedSeconds = elapsedSeconds
    }
}

/// `chat.tool` notification: the agent started or finished a tool call during `chat.send`.
public struct ChatToolEvent: Codable, Sendable, Equatable {
    public static let method = "chat.tool"
    public var session: String
    public var name: String
    /// `started` or `finished`.
    public var phase: String
    public var arguments: String?
    public var ok: Bool?
    public var summary: String?
    public init(session: String, name: String, phase: String, arguments: String? = nil, ok: Bool? = nil, summary: String? = nil) {
        self.session = session
        self.name = name
        self.phase = phase
        self.arguments = arguments
        self.ok = ok
        self.summary = summary
    }
}

/// `chat.delta` notification: a piece of the assistant's reply, streamed while `chat.send` runs.
public struct ChatDelta: Codable, Sendable, Equatable {
    public static let method = "chat.delta"
    public var session: String
    public var text: String
    public init(session: String, text: String) {
        self.session = session
        self.text = text
    }
}

/// `chat.notice` notification: something the learner should know about the turn that is not the
/// model's words: earlier messages summarised to fit the window, results shortened, an answer cut
/// short, a held change not made. The same text ends the turn's reply when it changes the answer.
public struct ChatNotice: Codable, Sendable, Equatable {
    public static let method = "chat.notice"

    /// What happened.
    public enum Kind: String, Codable, Sendable {
        /// Earlier messages were summarised to fit the model's context window.
        case compaction
        /// An open question or grade was set aside for the learner's new request.
        case setAside = "set-aside"
        /// Anything else the tutor says about the turn.
        case notice
    }

    public var session: String
    public var kind: Kind
    /// One sentence for the learner.
    public var text: String
    /// For a compaction: how many messages were summarised, and into about how many tokens.
    public var messages: Int?
    public var tokens: Int?

    public init(session: String, kind: Kind, text: String, messages: Int? = nil, tokens: Int? = nil) {
        self.session = session
        self.kind = kind
        self.text = text
        self.messages = messages
        self.tokens = tokens
    }
}

/// A notification that arrives while `chat.send` runs, decoded by its method name so that clients
/// match on a type, never on the name.
public enum ChatNotification: Sendable, Equatable {
    case delta(ChatDelta)
    case tool(ChatToolEvent)
    case notice(ChatNotice)

    /// The event in a notification with `method` and raw `params`, or nil for another method or
    /// params that do not decode (a newer daemon's event this client does not know).
    public init?(method: String, params raw: Data) {
        switch method {
        case ChatDelta.method:
            guard let value = try? Incoming.decodeNotification(ChatDelta.self, from: raw) else { return nil }
            self = .delta(value)
        case ChatToolEvent.method:
            guard let value = try? Incoming.decodeNotification(ChatToolEvent.self, from: raw) else { return nil }
            self = .tool(value)
        case ChatNotice.method:
            guard let value = try? Incoming.decodeNotification(ChatNotice.self, from: raw) else { return nil }
            self = .notice(value)
        default:
            return nil
        }
    }
}

/// `debug.sleep`: holds a request open for a while. Served only when tutord runs with
/// `TUTOR_DEBUG_METHODS=1`; tests and benchmarks use it to have a request in flight.
public enum DebugSleepMethod: RPCMethod {
    public static let name = "debug.sleep"
    public typealias Params = DebugSleepParams
    public typealias Result = DebugSleepParams
}

public struct DebugSleepParams: Codable, Sendable, Equatable {
    public var milliseconds: Int
    /// Sleep blocking a thread, deaf to cancellation, as uncooperative work would (tests of the
    /// shutdown watchdog).
    public var ignoringCancellation: Bool?
    public init(milliseconds: Int, ignoringCancellation: Bool? = nil) {
        self.milliseconds = milliseconds
        self.ignoringCancellation = ignoringCancellation
    }
}

/// `chat.context`: how the last request of a chat session used the model's context window.
public enum ChatContextMethod: RPCMethod {
    public static let name = "chat.context"
    public typealias Params = ChatSessionParams
    public typealias Result = ChatContextResult
}

/// `chat.reset`: forget a chat session (its transcript and summary are deleted).
public enum ChatResetMethod: RPCMethod {
    public static let name = "chat.reset"
    public typealias Params = ChatSessionParams
    public typealias Result = ChatResetResult
}

public struct ChatSessionParams: Codable, Sendable, Equatable {
    public var session: String
    public init(session: String) { self.session = session }
}

public struct ChatContextResult: Codable, Sendable, Equatable {
    public struct Section: Codable, Sendable, Equatable {
        public var name: String
        public var tokens: Int
        public var budget: Int
        public init(name: String, tokens: Int, budget: Int) {
            self.name = name
            self.tokens = tokens
            self.budget = budget
        }
    }
    public var session: String
    public var limit: Int
    /// Empty until the session has sent a request.
    public var sections: [Section]
    public var compactions: Int
    public init(session: String, limit: Int, sections: [Section], compactions: Int) {
        self.session = session
        self.limit = limit
        self.sections = sections
        self.compactions = compactions
    }
}

public struct ChatResetResult: Codable, Sendable, Equatable {
    public var session: String
    public var existed: Bool
    public init(session: String, existed: Bool) {
        self.session = session
        self.existed = existed
    }
}
