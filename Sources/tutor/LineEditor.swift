import CEditLine

#if canImport(Glibc)
import Glibc
#endif

/// Reads lines with editing and a persistent history (libedit) on a terminal, plain lines otherwise.
final class LineEditor {
    private let historyPath: String?
    private let interactive: Bool

    init(historyPath: String?) {
        self.historyPath = historyPath
        self.interactive = isatty(STDIN_FILENO) == 1
        guard interactive else { return }
        using_history()
        stifle_history(1000)
        if let historyPath { _ = read_history(historyPath) }
    }

    /// The next line, or nil at end of input (Ctrl-D).
    func readLine(prompt: String) -> String? {
        guard interactive else { return Swift.readLine(strippingNewline: true) }
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        let line = String(cString: raw)
        if !line.trimmingWhitespace().isEmpty {
            add_history(raw)
            if let historyPath {
                _ = write_history(historyPath)
                _ = chmod(historyPath, 0o600)
            }
        }
        return line
    }

    /// The lines in the history, oldest first.
    func history() -> [String] {
        guard interactive else { return [] }
        var lines: [String] = []
        let state = history_get_history_state()
        let count = Int(state?.pointee.length ?? 0)
        free(state)
        for offset in 0..<count {  // libedit numbers entries from 1
            if let entry = history_get(Int32(offset + 1)), let text = entry.pointee.line {
                lines.append(String(cString: text))
            }
        }
        return lines
    }
}

extension String {
    func trimmingWhitespace() -> String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
