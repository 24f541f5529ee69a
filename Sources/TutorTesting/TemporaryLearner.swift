import Foundation
import Synchronization
import TutorApp
import TutorCatalogue
import TutorStore
import TutorWire

/// The learner's services on a fresh store in a temporary folder, for tests that run the tutor's
/// services, tools and chat in process (without a daemon); the folder is removed afterwards.
public enum TemporaryLearner {
    /// Who the learner is when the test begins.
    public enum Start: Sendable {
        /// No profile and no data: the first-run setup is still to come.
        case new
        /// A programmer (8 h a week, weekday evenings, Europe/Paris) who logged an hour on RAG basics.
        case studyingRAG
    }

    /// A clock the test moves; it starts on Monday 2026-12-07 at 08:00 UTC.
    public final class Clock: Sendable {
        private let date = Mutex(Date(timeIntervalSince1970: 1_796_630_400))
        public init() {}
        public var now: Date { date.withLock { $0 } }
        public func advance(_ seconds: TimeInterval) { date.withLock { $0 += seconds } }
    }

    /// Runs `body` with a learner service on a fresh store whose clock `body` is given.
    public static func with(_ start: Start = .new, _ body: (LearnerService, Clock) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-learner-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(path: folder + "/tutor.sqlite")
        let clock = Clock()
        let service = LearnerService(store: store, catalogue: try Catalogue.bundled(), now: { clock.now })
        if start == .studyingRAG {
            _ = try service.setProfile(
                ProfileSetParams(
                    background: "programmer", hoursPerWeek: 8, availability: ["mon-fri 19:00-21:00"], timeZone: "Europe/Paris"))
            _ = try service.logStudy(StudyLogParams(minutes: 60, skill: "rag-basics"))
        }
        try await body(service, clock)
        try store.close()
    }
}
