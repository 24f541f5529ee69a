import Foundation
import Testing
import TutorClient
import TutorStore
import TutorTesting
import TutorWire

/// `tutor assess`: the first-run placement through the real CLI and daemon.
@Suite("Placement", .serialized)
struct PlacementTests {
    @Test("a scripted assessment saves the profile, records known skills, leaves their tasks out, and shows a realistic timeline")
    func assessment() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        // Answers, one per line: background, hours (a wrong one first), windows, time zone (a wrong
        // one first), goal, then for each of the five questions an Enter and a rating (easily,
        // mostly, no idea, easily, vaguely).
        let input =
            "a backend developer\nlots\n8\nmon-fri 19:00-21:00; sat 09:00-12:00\nMars/Olympus\nEurope/Paris\nbecome an AI engineer\n\n4\n\n3\n\n1\n\n4\n\n2\n"
        let result = try await daemon.runCLI(["assess"], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        // A wrong answer is asked again at once, with the reason; nothing before it is lost.
        #expect(result.stdout.contains("say a number of hours a week, such as 8"), "\(result.stdout)")
        #expect(result.stdout.contains("unknown time zone 'Mars/Olympus'"))
        #expect(result.stdout.contains("track developer"))
        #expect(result.stdout.contains("You already know 2 foundation skill(s)"))
        #expect(result.stdout.contains("First AI applications: about"))
        #expect(result.stdout.contains("not promises"))

        let store = try Store(path: daemon.dataDirectory + "/tutor.sqlite")
        let states = try store.skillStates()
        let mastered = Set(states.filter { $0.status == "mastered" }.map(\.skillId))
        #expect(mastered.count == 2)
        #expect(states.filter { $0.status == "learning" }.count == 1)
        // The goal's tasks leave the known skills out.
        let tasks = try store.tasks()
        #expect(!tasks.isEmpty)
        #expect(tasks.allSatisfy { $0.skillId.map { !mastered.contains($0) } ?? true })
        let profile = try #require(try store.profile())
        #expect(profile.hoursPerWeek == 8 && profile.timeZone == "Europe/Paris" && profile.availability.count == 6)
        try store.close()

        // The plan can be made straight away.
        #expect(try await daemon.runCLI(["plan"]).status == 0)
        try await daemon.stop()
    }

    @Test("the probe differs by background, and bad answers are refused before anything is saved")
    func probeAndValidation() async throws {
        let daemon = try await TemporaryDaemon.start()
        defer { daemon.removeFiles() }
        let socket = daemon.socketPath
        let beginner = try await TutorConnection.call(
            socketPath: socket, PlacementProbeMethod.self, PlacementProbeParams(background: "beginner"))
        let programmer = try await TutorConnection.call(
            socketPath: socket, PlacementProbeMethod.self, PlacementProbeParams(background: "programmer"))
        #expect(beginner.questions.count == 5 && programmer.questions.count == 5)
        #expect(beginner.track != programmer.track)
        // A beginner is asked about programming basics a programmer's track takes as known.
        #expect(Set(beginner.questions.map(\.skillId)) != Set(programmer.questions.map(\.skillId)))

        let bad = try await daemon.runCLI([
            "assess", "--background", "wizard", "--hours", "8", "--available", "mon 19:00-21:00", "--time-zone", "UTC", "--goal",
            "first-apps", "--skip-quiz",
        ])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("say programmer, data scientist, or new to programming"), "\(bad.stderr)")
        await #expect(throws: (any Error).self) {
            try await TutorConnection.call(
                socketPath: socket, PlacementFinishMethod.self,
                PlacementFinishParams(
                    background: "programmer", hoursPerWeek: 8, availability: ["mon 19:00-21:00"], timeZone: "UTC", goal: "first-apps",
                    answers: [PlacementAnswer(skillId: programmer.questions[0].skillId, rating: 9)]))
        }
        let store = try Store(path: daemon.dataDirectory + "/tutor.sqlite")
        #expect(try store.profile() == nil, "nothing was saved")
        try store.close()
        try await daemon.stop()
    }
}
