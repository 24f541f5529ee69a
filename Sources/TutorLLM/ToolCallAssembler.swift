import TutorModel

/// One streamed fragment of a tool call, as found in `choices[].delta.tool_calls[]`.
public struct ToolCallDelta: Sendable, Equatable {
    public var index: Int?
    public var id: String?
    public var name: String?
    public var arguments: String?

    public init(index: Int? = nil, id: String? = nil, name: String? = nil, arguments: String? = nil) {
        self.index = index
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// Accumulates streamed tool-call fragments into whole calls, defensively: servers differ in whether
/// they send `index`, whether they repeat `id` and `name` in every chunk, and whether indices start at
/// zero or are contiguous. Arguments are concatenated as received and never parsed here. Pure.
public struct ToolCallAssembler: Sendable {
    /// A call whose name has just become known: the moment to announce it.
    public struct Started: Sendable, Equatable {
        public var id: String
        public var name: String
    }

    private struct Partial: Sendable {
        var index: Int?
        /// The id the server sent, if any.
        var serverID: String?
        /// The id used once the call was announced; fixed from then on.
        var announcedID: String?
        var name = ""
        var arguments = ""
    }

    private var calls: [Partial] = []

    public init() {}

    /// True when no fragment has been added.
    public var isEmpty: Bool { calls.isEmpty }

    /// Adds one fragment. Returns the call's id and name the first time its name is known.
    public mutating func add(_ delta: ToolCallDelta) -> Started? {
        let position = findCall(for: delta)
        var call = calls[position]
        if call.serverID == nil, let id = delta.id, !id.isEmpty { call.serverID = id }
        if call.index == nil { call.index = delta.index }
        if let name = delta.name, !name.isEmpty {
            if call.name.isEmpty || name.hasPrefix(call.name) {
                // First sighting, or a server that repeats the (possibly growing) name in every chunk.
                call.name = name
            } else if !call.name.hasSuffix(name) {
                // A server that streams the name in pieces.
                call.name += name
            }
        }
        if let arguments = delta.arguments { call.arguments += arguments }
        var started: Started?
        if call.announcedID == nil, !call.name.isEmpty {
            let id = call.serverID ?? Self.syntheticID(position)
            call.announcedID = id
            started = Started(id: id, name: call.name)
        }
        calls[position] = call
        return started
    }

    /// The assembled calls in the order they first appeared. Empty arguments become "{}"; a call
    /// with neither a name nor arguments is dropped as noise.
    public func finish() -> [ToolCall] {
        calls.enumerated().compactMap { position, call in
            if call.name.isEmpty && call.arguments.isEmpty { return nil }
            let id = call.announcedID ?? call.serverID ?? Self.syntheticID(position)
            let arguments = call.arguments.allSatisfy(\.isWhitespace) ? "{}" : call.arguments
            return ToolCall(id: id, name: call.name, arguments: arguments)
        }
    }

    private static func syntheticID(_ position: Int) -> String { "call_\(position)" }

    /// Finds the call a fragment belongs to, appending a new one when none fits.
    private mutating func findCall(for delta: ToolCallDelta) -> Int {
        let id = delta.id.flatMap { $0.isEmpty ? nil : $0 }
        if let index = delta.index, let position = calls.lastIndex(where: { $0.index == index }) {
            // Same index: the same call unless it carries a different id (a server that reuses index 0).
            if let id, let existing = calls[position].serverID, existing != id {
                if let byID = calls.lastIndex(where: { $0.serverID == id }) { return byID }
                return appendCall(index: index)
            }
            return position
        }
        if let id, let position = calls.lastIndex(where: { $0.serverID == id }) { return position }
        if delta.index == nil, id == nil, !calls.isEmpty { return calls.count - 1 }
        return appendCall(index: delta.index)
    }

    private mutating func appendCall(index: Int?) -> Int {
        calls.append(Partial(index: index))
        return calls.count - 1
    }
}
