import Foundation
import TutorToolAdapters
import Yams

/// A scripted learner: who they are, what they say turn by turn, and what a good tutor does in reply.
public struct Scenario: Sendable, Equatable, Decodable {
    public struct Persona: Sendable, Equatable, Decodable {
        public var background: String = "programmer"
        public var hours: Double = 10
        public var available: [String] = ["mon-fri 19:00-21:00"]
        public var timeZone: String = "UTC"
        /// A goal set before the conversation (a roadmap id or words); none when absent.
        public var goal: String?
        /// Minutes of study already logged before the conversation, by skill id.
        public var logged: [String: Int] = [:]
        /// False for a learner meeting the tutor for the first time: no profile is stored (the
        /// other fields are then what the learner will say).
        public var hasProfile = true

        enum CodingKeys: String, CodingKey {
            case background, hours, available
            case timeZone = "time_zone"
            case goal, logged
            case hasProfile = "has_profile"
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            background = try container.decodeIfPresent(String.self, forKey: .background) ?? background
            hours = try container.decodeIfPresent(Double.self, forKey: .hours) ?? hours
            available = try container.decodeIfPresent([String].self, forKey: .available) ?? available
            timeZone = try container.decodeIfPresent(String.self, forKey: .timeZone) ?? timeZone
            goal = try container.decodeIfPresent(String.self, forKey: .goal)
            logged = try container.decodeIfPresent([String: Int].self, forKey: .logged) ?? [:]
            hasProfile = try container.decodeIfPresent(Bool.self, forKey: .hasProfile) ?? true
        }
    }

    /// What the reply to one turn should show; each field set is one scored check.
    public struct Expectation: Sendable, Equatable, Decodable {
        /// Tools that must have been called, and succeeded (a name that is no tool does not load).
        public var tools: [ToolName]?
        /// Tools that must not have been called.
        public var forbiddenTools: [ToolName]?
        /// The week's stored plan must keep to the free-time windows and the weekly budget.
        public var planValid: Bool?
        /// The reply must cite where it came from (a roadmap skill, `catalogue:…` or `path:lines`).
        public var cites: Bool?
        /// The reply must not promise a shortcut (becoming an AI engineer in weeks, guarantees).
        public var honestAboutTime: Bool?
        /// The reply must check understanding: a question to the learner.
        public var asksQuestion: Bool?
        /// Text the reply must not hand over (the solution of an exercise the learner is working).
        public var withholds: String?
        /// Text the reply must contain (case-insensitive).
        public var mentions: [String]?

        enum CodingKeys: String, CodingKey {
            case tools
            case forbiddenTools = "forbidden_tools"
            case planValid = "plan_valid"
            case cites
            case honestAboutTime = "honest_about_time"
            case asksQuestion = "asks_question"
            case withholds, mentions
        }
    }

    public struct Turn: Sendable, Equatable, Decodable {
        public var say: String
        public var expect: Expectation?
    }

    public var name: String
    public var description: String?
    public var persona: Persona
    public var turns: [Turn]

    enum CodingKeys: String, CodingKey { case name, description, persona, turns }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        persona = try container.decodeIfPresent(Persona.self, forKey: .persona) ?? Persona()
        turns = try container.decode([Turn].self, forKey: .turns)
    }

    /// Reads a scenario from YAML; the error names the file and the problem.
    public static func parse(yaml: String, file: String) throws -> Scenario {
        do {
            let scenario = try YAMLDecoder().decode(Scenario.self, from: yaml)
            guard !scenario.turns.isEmpty else { throw ScenarioError(file: file, problem: "it has no turns") }
            return scenario
        } catch let error as ScenarioError {
            throw error
        } catch {
            throw ScenarioError(file: file, problem: "\(error)")
        }
    }
}

/// A scenario file that could not be read.
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let problem: String
    public var description: String {
        "\(file) is not a valid scenario: \(problem). A scenario has `name`, `persona` and `turns` (each with `say` and `expect`); see Tests/Fixtures/eval."
    }
}
