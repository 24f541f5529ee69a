import Foundation

/// Everything wrong with a catalogue, found in one pass so that a data author can fix it all at once.
///
/// Each problem names the file and, where there is one, the id of the entry at fault, e.g.
/// `skills-advanced.json: skill 'lora' requires unknown skill 'pytorch-basic' (did you mean 'pytorch-basics'?)`.
public struct CatalogueError: Error, CustomStringConvertible, Sendable, Equatable {
    /// One problem in one file.
    public struct Problem: Sendable, Equatable, Hashable, CustomStringConvertible {
        /// The file's name within the catalogue folder, e.g. `skills-advanced.json`.
        public var file: String
        /// The id of the stage, skill, project or track at fault, when the problem belongs to one.
        public var id: String?
        /// What is wrong, naming the id; reads on after `file: `.
        public var message: String

        public init(file: String, id: String?, message: String) {
            self.file = file
            self.id = id
            self.message = message
        }

        public var description: String { "\(file): \(message)" }
    }

    /// Every problem found, in the order found (files as read, then stages, skills, projects, tracks).
    public var problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }

    public var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return "The catalogue has \(count):\n" + problems.map { "- \($0.description)" }.joined(separator: "\n")
    }
}

extension CatalogueError: LocalizedError {
    public var errorDescription: String? { description }
}
