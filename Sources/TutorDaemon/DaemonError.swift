/// An error that stops the daemon from starting or serving: what went wrong and what to do.
public struct DaemonError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidConfiguration
        case alreadyRunning
        case cannotBind
        case cannotPrepareFolder
        case storeUnavailable
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
