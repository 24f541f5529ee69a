import Foundation
import TutorCatalogue
import TutorLearning
import TutorStore
import TutorWire

/// The learner's profile: who they are, their background and track, their hours and free time.
public struct ProfileService: AppService {
    public let context: AppContext

    public init(context: AppContext) { self.context = context }

    /// The profile as stored, or the defaults (and `isSet` false) before one is saved.
    public func profile() throws -> ProfileView {
        let record = try store.profile()
        return view(record ?? defaultProfile(), isSet: record != nil)
    }

    func view(_ record: ProfileRecord, isSet: Bool) -> ProfileView {
        ProfileView(
            name: record.name, background: record.background, track: record.track, hoursPerWeek: record.hoursPerWeek,
            availability: record.availability, timeZone: record.timeZone, targetDate: record.targetDate, isSet: isSet)
    }

    /// Applies the changes given, validating each; on any error nothing is saved.
    public func setProfile(_ changes: ProfileSetParams) throws -> ProfileView {
        var record = try store.profile() ?? defaultProfile()
        if let name = changes.name { record.name = name.isEmpty ? nil : name }
        if let background = changes.background {
            guard let parsed = Background(rawValue: background.lowercased()) else {
                throw Self.badInput("unknown background '\(background)'; use programmer, data-scientist or beginner")
            }
            record.background = parsed.rawValue
            if changes.track == nil, record.track == nil { record.track = catalogue.track(for: parsed)?.id }
        }
        if let track = changes.track {
            if track.isEmpty {
                record.track = nil
            } else {
                guard let found = catalogue.track(track) else {
                    throw Self.badInput("unknown track '\(track)'; the tracks are \(catalogue.tracks.map(\.id).joined(separator: ", "))")
                }
                record.track = found.id
            }
        }
        if let hours = changes.hoursPerWeek {
            guard hours.isFinite, hours >= 0.5, hours <= 80 else {
                throw Self.badInput("hours per week must be from 0.5 to 80, not \(hours); even one focused hour a week counts")
            }
            record.hoursPerWeek = hours
        }
        if let availability = changes.availability {
            var windows: [AvailabilityWindow] = []
            for text in availability {
                do {
                    // Everyday forms too: "weeknights after 8pm", "sat 9-11".
                    for line in try AvailabilityPhrase.windows(in: text) { windows += try AvailabilityWindow.parse(line) }
                } catch {
                    throw Self.badInput("availability \"\(text)\": \(error)")
                }
            }
            record.availability = windows.sorted { ($0.weekday, $0.startMinute) < ($1.weekday, $1.startMinute) }.map(\.description)
        }
        if let zone = changes.timeZone {
            guard TimeZone(identifier: zone) != nil else {
                throw Self.badInput("unknown time zone '\(zone)'; use an IANA name such as Europe/Paris or America/New_York")
            }
            record.timeZone = zone
        }
        if let target = changes.targetDate {
            if target.isEmpty {
                record.targetDate = nil
            } else {
                guard Self.parseDay(target) != nil else {
                    throw Self.badInput("target date '\(target)' is not a date like 2027-06-30")
                }
                record.targetDate = target
            }
        }
        try store.saveProfile(record, at: now())
        return try profile()
    }

    static func parseDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }

}
