import TutorClient

/// Every `print` in `tutor` goes through here: what it prints may have come from the model, notes,
/// files or the network, so control sequences are stripped (see ``TerminalText``). The CLI's own
/// escape sequences (clearing the screen, the progress line) use ``writeControl(_:)``, and JSON
/// output is printed exactly (`printJSON`), since JSON already escapes control characters.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    let text = items.map { "\($0)" }.joined(separator: separator)
    Swift.print(TerminalText.sanitized(text), terminator: TerminalText.sanitized(terminator))
}

/// Writes the CLI's own terminal control sequence to standard output, unfiltered.
func writeControl(_ sequence: String) {
    Swift.print(sequence, terminator: "")
}
