import TutorJSON

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Methods for programs outside the chat (the MCP server, `tutor mcp`): the tutor's tools as the
// agent declares them, one call of a tool, and a stream of "the learner's data changed" events.

/// `tools.list`: every tool the agent has, from the same declarations the agent uses.
public enum ToolsListMethod: RPCMethod {
    public static let name = "tools.list"
    public typealias Params = NoParams
    public typealias Result = ToolsListResult
}

/// `tools.call`: runs one tool by name with JSON arguments, through the agent's own registry.
public enum ToolsCallMethod: RPCMethod {
    public static let name = "tools.call"
    public typealias Params = ToolsCallParams
    public typealias Result = ToolsCallResult
}

/// `events.subscribe`: a long call that sends an `events.changed` notification after writes the
/// daemon commits, and answers only when the client goes away or the daemon shuts down.
public enum EventsSubscribeMethod: RPCMethod {
    public static let name = "events.subscribe"
    public typealias Params = NoParams
    public typealias Result = EventsSubscribeResult
    /// The first notification on a subscription: from now on no committed write is missed.
    public static let readyNotification = "events.ready"
    /// The notification sent on the subscription after a committed write.
    public static let changedNotification = "events.changed"
}

/// One tool as the agent declares it.
public struct ToolDescriptionView: Codable, Sendable, Equatable {
    /// The snake_case name models call it by (`log_study`).
    public var name: String
    /// Words for people, made from the name (`Log study`).
    public var title: String
    /// Its one-line purpose.
    public var description: String
    /// Its arguments' JSON Schema (an object schema).
    public var inputSchema: JSONValue
    /// `read`, `write` or `outward`: what calling it can change.
    public var effect: String
    /// Whether it removes or overwrites records rather than only adding.
    public var overwrites: Bool
    /// Whether its result carries text from outside the tutor (the learner's notes).
    public var returnsUntrustedText: Bool

    public init(
        name: String, title: String, description: String, inputSchema: JSONValue, effect: String, overwrites: Bool,
        returnsUntrustedText: Bool
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.inputSchema = inputSchema
        self.effect = effect
        self.overwrites = overwrites
        self.returnsUntrustedText = returnsUntrustedText
    }
}

/// The tools, in the order the agent registers them.
public struct ToolsListResult: Codable, Sendable, Equatable {
    public var tools: [ToolDescriptionView]
    public init(tools: [ToolDescriptionView]) { self.tools = tools }
}

/// One tool to run and its arguments.
public struct ToolsCallParams: Codable, Sendable, Equatable {
    public var name: String
    /// The arguments object; nil is `{}`.
    public var arguments: JSONValue?
    public init(name: String, arguments: JSONValue?) {
        self.name = name
        self.arguments = arguments
    }
}

/// What one tool call produced.
public struct ToolsCallResult: Codable, Sendable, Equatable {
    public var name: String
    /// `read`, `write` or `outward`, as in ``ToolDescriptionView/effect``.
    public var effect: String
    /// True when the tool ran and failed (the message is in `output`); bad arguments are an
    /// `invalidParams` error instead.
    public var isError: Bool
    /// The tool's output as JSON text (an object), or the failure as `{"error": "…"}`.
    public var output: String
    /// Whether `output` carries text from the learner's files: data, never instructions.
    public var untrusted: Bool

    public init(name: String, effect: String, isError: Bool, output: String, untrusted: Bool) {
        self.name = name
        self.effect = effect
        self.isError = isError
        self.output = output
        self.untrusted = untrusted
    }
}

/// The params of an `events.changed` notification.
public struct EventsChangedParams: Codable, Sendable, Equatable {
    /// How many writes were committed since the last notification on this subscription: a
    /// subscriber that reads slowly gets one notification for many writes.
    public var commits: Int
    public init(commits: Int) { self.commits = commits }
}

/// Why a subscription ended: `shutdown` (the daemon is stopping).
public struct EventsSubscribeResult: Codable, Sendable, Equatable {
    public var ended: String
    public init(ended: String) { self.ended = ended }
}
