/// An error of the store: what went wrong, on which file, and what to do about it.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case cannotCreateFolder
        case cannotOpen
        case migrationFailed
        /// The database was migrated by a newer Tutor: this build refuses to open it.
        case newerSchema
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
        case .newerSchema:
            "refusing to open the database \(path): \(detail) Nothing was written to it. Upgrade tutor and tutord to the version "
                + "that wrote it; or, to go back to this version, export with the newer one (`tutor export -o backup.json`), move "
                + "\(path) aside, and run `tutor import backup.json` here."
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
