/// Text made safe to print on a terminal: what came from notes, files, the model or the network
/// may carry control sequences (OSC 52 writes the clipboard, others retitle the window, move the
/// cursor to hide text, or answer back on the terminal's input).
public enum TerminalText {
    /// `text` without control characters or the escape sequences they start; newlines and tabs
    /// stay. Removed: C0 controls but tab and newline (carriage return, backspace and bell too),
    /// DEL, C1 controls (U+0080–U+009F, among them the one-character CSI and OSC), and after an
    /// ESC its whole sequence when it is complete in `text` (CSI to its final byte, OSC, DCS, SOS,
    /// PM and APC strings to their terminator). With every ESC and C1 gone no sequence can form,
    /// even across separately printed pieces.
    public static func sanitized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var output = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\u{1B}" {
                index = endOfEscape(scalars, from: index)
                continue
            }
            if !isControl(scalar) { output.append(scalar) }
            index += 1
        }
        return String(output)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: false
        case 0x00...0x1F, 0x7F...0x9F: true
        default: false
        }
    }

    /// The index after the escape sequence starting at `start` (an ESC); just past the ESC when the
    /// sequence is unknown or unfinished, so the rest prints as plain text.
    static func endOfEscape(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        let next = start + 1
        guard next < scalars.count else { return next }
        switch scalars[next] {
        case "[":
            // CSI: parameter and intermediate bytes, then a final byte 0x40–0x7E.
            var index = next + 1
            while index < scalars.count, (0x20...0x3F).contains(scalars[index].value) { index += 1 }
            if index < scalars.count, (0x40...0x7E).contains(scalars[index].value) { return index + 1 }
            return next
        case "]", "P", "X", "^", "_":
            // A string ended by BEL or ST (ESC \).
            var index = next + 1
            while index < scalars.count {
                if scalars[index] == "\u{07}" { return index + 1 }
                if scalars[index] == "\u{1B}" {
                    return index + 1 < scalars.count && scalars[index + 1] == "\\" ? index + 2 : index
                }
                index += 1
            }
            return next
        default:
            // A two-character sequence (ESC c resets the terminal, ESC 7 saves the cursor…).
            return (0x20...0x7E).contains(scalars[next].value) ? next + 1 : next
        }
    }
}
