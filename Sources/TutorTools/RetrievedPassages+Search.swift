import TutorWire

extension RetrievedPassages {
    /// The passages of a notes search as the model reads them: quoted, with their citations, and a
    /// note to say so when nothing matched.
    public init(_ result: NotesSearchResult) {
        self.init(
            mode: result.mode,
            passages: result.passages.map { Passage(citation: $0.citation, source: $0.source, heading: $0.heading, quoted: $0.text) },
            note: result.passages.isEmpty ? "Nothing matched; say so rather than guessing." : result.note)
    }
}
