import Foundation
import Logging
import TutorCatalogue
import TutorLearning
import TutorStore

/// What every service shares: the learner's store, the roadmap catalogue, the clock, the FSRS
/// scheduler, the plan proposals awaiting acceptance, and a logger.
///
/// One context per store: the daemon makes one at start, `tutor eval` one per scenario.
public final class AppContext: Sendable {
    public let store: Store
    public let catalogue: Catalogue
    public let logger: Logger
    /// The clock (injected so plans, reviews and forecasts are deterministic in tests).
    let now: @Sendable () -> Date
    let scheduler: FSRSScheduler
    let proposals = ProposalBook()

    public init(
        store: Store, catalogue: Catalogue, fsrs: FSRSParameters = FSRSParameters(), logger: Logger = Logger(label: "tutor.app"),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.catalogue = catalogue
        self.logger = logger
        self.scheduler = FSRSScheduler(parameters: fsrs)
        self.now = now
    }
}
