import Foundation

/// The one error the application services throw: what was wrong with the request and how to fix
/// it. Nothing is changed when a service throws it.
///
/// The daemon maps it to a JSON-RPC error code in one place (its router); the agent's tools hand
/// its message to the model as it is.
public struct AppError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem it is; each maps to one RPC error code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case badInput = "bad input"
            case notFound = "not found"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The request was understood but its content is not acceptable (an unknown skill, a bad week, …).
        public static let badInput = Code(.badInput)
        /// Something the request names does not exist (a task, a review card, a job).
        public static let notFound = Code(.notFound)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// What went wrong and how to fix it, in words for the learner (and the model).
    public let message: String
    /// The error underneath, when another layer's failure is the reason (a date that did not parse, …).
    public let cause: (any Error)?
    /// The function that threw it.
    public let location: String

    public init(_ code: Code, _ message: String, cause: (any Error)? = nil, location: String = #function) {
        self.code = code
        self.message = message
        self.cause = cause
        self.location = location
    }

    public static func badInput(_ message: String, cause: (any Error)? = nil, location: String = #function) -> AppError {
        AppError(.badInput, message, cause: cause, location: location)
    }

    public static func notFound(_ message: String, location: String = #function) -> AppError {
        AppError(.notFound, message, location: location)
    }

    public var description: String { message }
}

extension AppError: LocalizedError {
    /// The message alone: the agent's tools hand it to the model without codes.
    public var errorDescription: String? { message }
}
