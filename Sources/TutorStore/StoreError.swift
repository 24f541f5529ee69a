/// An error of the store: what went wrong, on which file, and what to do about it.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case cannotCreateFolder
        case cannotOpen
        case migrationFailed
        case readFailed
        case writeFailed
        case closeFailed
        case invalidInput
        case notFound
    }

    public let code: Code
    public let path: String
    public let detail: String
    public let underlying: (any Error)?

    public init(_ code: Code, path: String, detail: String = "", underlying: (any Error)? = nil) {
        self.code = code
        self.path = path
        self.detail = detail.isEmpty ? underlying.map { "\($0)" } ?? "" : detail
        self.underlying = underlying
    }

    public var description: String {
        switch code {
        case .cannotCreateFolder:
            "cannot create the folder \(path): \(detail). Check that its parent exists and is writable, or set TUTOR_DATA_DIR."
        case .cannotOpen:
            "cannot open the database \(path): \(detail). Check its permissions, or move it aside to start afresh."
        case .migrationFailed:
            "cannot upgrade the database \(path): \(detail). Nothing was changed; keep a copy of the file and report the message."
        case .readFailed:
            "cannot read from the database \(path): \(detail)."
        case .writeFailed:
            "cannot write to the database \(path): \(detail). Nothing of this change was saved."
        case .closeFailed:
            "cannot close the database \(path) cleanly: \(detail)."
        case .invalidInput, .notFound:
            detail
        }
    }
}
