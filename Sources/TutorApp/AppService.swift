import Foundation
import TutorCatalogue
import TutorLearning
import TutorStore

/// A service of the application layer: a small value over the shared ``AppContext`` that owns one
/// kind of record. Services are cheap to make, so one service reaches another through the accessors
/// here rather than holding it.
public protocol AppService: Sendable {
    var context: AppContext { get }
}

extension AppService {
    var store: Store { context.store }
    var catalogue: Catalogue { context.catalogue }
    func now() -> Date { context.now() }

    static func badInput(_ message: String, cause: (any Error)? = nil, location: String = #function) -> AppError {
        .badInput(message, cause: cause, location: location)
    }
    static func notFound(_ message: String, location: String = #function) -> AppError { .notFound(message, location: location) }

    // MARK: Sibling services

    var profileService: ProfileService { ProfileService(context: context) }
    var goalService: GoalService { GoalService(context: context) }
    var planService: PlanService { PlanService(context: context) }
    var reviewService: ReviewService { ReviewService(context: context) }
    var testOutService: TestOutService { TestOutService(context: context) }
    var checklistService: ChecklistService { ChecklistService(context: context) }

    // MARK: Shared reads

    /// The profile a learner has before saving one.
    func defaultProfile() -> ProfileRecord {
        ProfileRecord(timeZone: TimeZone.current.identifier, createdAt: now(), updatedAt: now())
    }

    /// The ISO week it is now, in the learner's time zone: stored plans from it on are dropped
    /// when the tasks they were made from change.
    func currentWeek() throws -> ISOWeek {
        ISOWeek.containing(now(), in: TimeZone(identifier: try store.profile()?.timeZone ?? "UTC") ?? .gmt)
    }

    /// The learner's background (a programmer until a profile says otherwise).
    var background: Background {
        get throws { Background(rawValue: try store.profile()?.background ?? "programmer") ?? .programmer }
    }
}
