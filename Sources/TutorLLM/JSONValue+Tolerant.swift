import TutorJSON

extension JSONValue {
    /// A whole number, or a string holding one: providers send counts, indices and context sizes
    /// as either.
    var looseInt: Int? { int ?? string.flatMap { Int($0) } }
}
