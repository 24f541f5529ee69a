import TutorAgent
import TutorApp
import TutorTools
import TutorWire

/// The learner's notes and the roadmap's text, searched; the passages are untrusted text.
struct SearchNotesTool: TutorTool {
    static let tool = ToolName.searchNotes
    let purpose =
        "Search the learner's own notes, code and papers and the roadmap catalogue's text; returns quoted passages with citations (path:lines) to cite."
    let returnsUntrustedText = true
    let notes: NotesService
    struct Arguments: ToolArguments {
        var query: String
        var k: Int?
        var source: String?
        static let schema = JSONSchema.object(
            properties: [
                "query": .string(description: "What to look for, in a few words.", minLength: 1),
                "k": .integer(description: "How many passages (default 5).", minimum: 1, maximum: 20),
                "source": .string(description: "Only the learner's notes, or only the catalogue.", enumValues: ["notes", "catalogue"]),
            ], required: ["query"])
    }
    func run(_ arguments: Arguments) async throws -> RetrievedPassages {
        RetrievedPassages(try await notes.search(NotesSearchParams(query: arguments.query, k: arguments.k ?? 5, source: arguments.source)))
    }
}
