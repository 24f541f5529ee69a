import Foundation
import Testing
import TutorCatalogue
import TutorLearning

@Suite("Forecast")
struct ForecastTests {
    let catalogue: Catalogue
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let weeksPerMonth = 52.18 / 12

    init() throws { catalogue = try Catalogue.bundled() }

    private func forecast(_ background: Background, hours: Double) -> Forecast {
        Forecaster.forecast(ForecastRequest(catalogue: catalogue, background: background, declaredHoursPerWeek: hours, now: now))
    }

    private func months(_ weeks: Double) -> Double { weeks / Self.weeksPerMonth }

    private func milestone(_ forecast: Forecast, _ stage: StageID) -> Milestone {
        forecast.milestones.first { $0.stage == stage }!
    }

    @Test("a programmer at 10 h a week reaches first AI apps in about 6 months, as the seed's table says")
    func programmerFirstApps() {
        let firstApps = milestone(forecast(.programmer, hours: 10), .firstApps)
        let middle = months((firstApps.weeksFrom + firstApps.weeksTo) / 2)
        #expect(middle > 5 && middle < 7, "about 6 months, got \(middle)")
    }

    @Test("a beginner at 10 h a week needs about 12 months for the same milestone: 6 more")
    func beginnerFirstApps() {
        let beginner = milestone(forecast(.beginner, hours: 10), .firstApps)
        let programmer = milestone(forecast(.programmer, hours: 10), .firstApps)
        let middle = months((beginner.weeksFrom + beginner.weeksTo) / 2)
        #expect(middle > 10.5 && middle < 13.5, "about 12 months, got \(middle)")
        let extra = middle - months((programmer.weeksFrom + programmer.weeksTo) / 2)
        #expect(extra > 5 && extra < 7, "about 6 more months from scratch, got \(extra)")
    }

    @Test("advanced concepts take 6 to 12 more months after the first apps")
    func advanced() {
        let result = forecast(.programmer, hours: 10)
        let firstApps = milestone(result, .firstApps), advanced = milestone(result, .advanced)
        let low = months(advanced.weeksFrom - firstApps.weeksFrom), high = months(advanced.weeksTo - firstApps.weeksTo)
        #expect(low > 5 && low < 7.5, "about 6 months at the low end, got \(low)")
        #expect(high > 10.5 && high < 13.5, "about 12 months at the high end, got \(high)")
    }

    @Test("professional competence lands between 1 and 2 years for a programmer at 10 h a week")
    func professional() {
        let professional = milestone(forecast(.programmer, hours: 10), .professional)
        #expect(months(professional.weeksFrom) > 11 && months(professional.weeksFrom) < 16)
        #expect(months(professional.weeksTo) > 20 && months(professional.weeksTo) < 27)
    }

    @Test("senior adds 3 to 5 years of experience, and the forecast says it cannot be compressed")
    func senior() {
        let result = forecast(.programmer, hours: 10)
        let professional = milestone(result, .professional), senior = milestone(result, .senior)
        #expect(senior.experienceYears == 3...5)
        let extraLow = (senior.weeksFrom - professional.weeksFrom) / 52.18
        let extraHigh = (senior.weeksTo - professional.weeksTo) / 52.18
        #expect(extraLow >= 3 && extraLow < 4, "\(extraLow)")
        #expect(extraHigh >= 5 && extraHigh < 6, "\(extraHigh)")
        #expect(result.notes.contains { $0.contains("cannot compress") || $0.contains("can compress") || $0.contains("compress that") })
    }

    @Test("the portfolio projects are counted beside the study hours, stage by stage, and the learner is told")
    func projectsBesideStudy() throws {
        let result = forecast(.programmer, hours: 10)
        var cumulative = HourRange.zero
        for stage in StageID.allCases {
            cumulative = cumulative + catalogue.projects.filter { $0.stage == stage }.reduce(HourRange.zero) { $0 + $1.hours }
            let entry = milestone(result, stage)
            #expect(entry.projectHours == cumulative, "\(stage)")
            #expect(abs(entry.weeksWithProjectsFrom - (entry.weeksFrom + cumulative.min / 10)) < 0.001, "\(stage)")
            #expect(abs(entry.weeksWithProjectsTo - (entry.weeksTo + cumulative.max / 10)) < 0.001, "\(stage)")
        }
        #expect(catalogue.projects.count == 22)
        #expect(cumulative == HourRange(min: 276, max: 476), "the 22 projects add 276–476 hours")
        let note = try #require(result.notes.first { $0.contains("portfolio projects") })
        #expect(note.contains("276–476 h"), "\(note)")
        #expect(note.contains("6–11 more months"), "276 h and 476 h at 10 h a week: \(note)")

        let built = catalogue.projects[0]
        let after = Forecaster.forecast(
            ForecastRequest(
                catalogue: catalogue, background: .programmer, declaredHoursPerWeek: 10, completedSkillIDs: [built.id], now: now))
        #expect(
            milestone(after, .senior).projectHours
                == HourRange(min: cumulative.min - built.hours.min, max: cumulative.max - built.hours.max),
            "a finished project no longer counts")
    }

    @Test("doubling the hours roughly halves the time to every study milestone")
    func scalesWithHours() {
        let ten = forecast(.programmer, hours: 10), twenty = forecast(.programmer, hours: 20)
        for stage in [StageID.foundations, .firstApps, .advanced, .professional] {
            let ratio = milestone(twenty, stage).weeksTo / milestone(ten, stage).weeksTo
            #expect(abs(ratio - 0.5) < 0.01, "\(stage): \(ratio)")
        }
    }

    @Test("stage hour totals in the catalogue agree with the milestones")
    func totalsAgree() {
        let result = forecast(.programmer, hours: 10)
        var cumulative = HourRange.zero
        for stage in StageID.allCases {
            cumulative = cumulative + catalogue.totalHours(catalogue.skills(in: stage).map(\.id), for: .programmer)
            #expect(abs(milestone(result, stage).remainingHours.min - cumulative.min) < 0.001)
            #expect(abs(milestone(result, stage).remainingHours.max - cumulative.max) < 0.001)
        }
    }

    @Test("after three weeks of log the logged pace replaces the declared one")
    func loggedPace() {
        let day: TimeInterval = 86_400
        let twoWeeks = (0..<14).map { (date: now.addingTimeInterval(-Double($0) * day), minutes: 60) }
        let early = Forecaster.pace(
            ForecastRequest(catalogue: catalogue, background: .programmer, declaredHoursPerWeek: 10, log: twoWeeks, now: now))
        #expect(early.source == .declared)
        #expect(early.hoursPerWeek == 10)
        let fourWeeks = (0..<28).map { (date: now.addingTimeInterval(-Double($0) * day - 3600), minutes: 60) }
        let logged = Forecaster.pace(
            ForecastRequest(catalogue: catalogue, background: .programmer, declaredHoursPerWeek: 10, log: fourWeeks, now: now))
        #expect(logged.source == .logged)
        #expect(abs(logged.hoursPerWeek - 7) < 0.01, "an hour a day is 7 h a week, got \(logged.hoursPerWeek)")
    }

    @Test("completed skills and time already spent shorten the road")
    func progressCounts() {
        let fresh = milestone(forecast(.programmer, hours: 10), .foundations)
        let foundations = catalogue.skills(in: .foundations).map(\.id)
        let half = Set(foundations.prefix(foundations.count / 2))
        let progressed = milestone(
            Forecaster.forecast(
                ForecastRequest(catalogue: catalogue, background: .programmer, declaredHoursPerWeek: 10, completedSkillIDs: half, now: now)),
            .foundations)
        #expect(progressed.remainingHours.max < fresh.remainingHours.max)
    }
}

@Suite("Goal decomposition")
struct DecompositionTests {
    let catalogue: Catalogue
    init() throws { catalogue = try Catalogue.bundled() }

    @Test("a skill goal becomes its unmet prerequisite closure, prerequisites first, learn before practise before check")
    func skillGoal() throws {
        let target = try #require(catalogue.skills.first { $0.prerequisites.count >= 2 && $0.stage == .firstApps })
        let tasks = GoalDecomposer.decompose(.skill(target.id), catalogue: catalogue, background: .programmer)
        let skills = tasks.compactMap(\.skillId)
        #expect(skills.last == target.id)
        for skillID in Set(skills) {
            let skill = try #require(catalogue.skill(skillID))
            let first = skills.firstIndex(of: skillID)!
            for prerequisite in skill.prerequisites {
                let position = try #require(skills.firstIndex(of: prerequisite), "\(prerequisite) missing")
                #expect(position < first, "\(prerequisite) should come before \(skillID)")
            }
            let kinds = tasks.filter { $0.skillId == skillID }.map(\.kind)
            #expect(kinds == kinds.sorted { order($0) < order($1) })
        }
        // Estimates add up to the catalogue's midpoint hours (within rounding).
        let minutes = tasks.filter { $0.skillId == target.id }.map(\.estimateMinutes).reduce(0, +)
        #expect(abs(Double(minutes) - target.hours.mid * 60) <= 15)
    }

    @Test("completed skills are left out, and a beginner's estimates are larger where the catalogue says so")
    func completedAndBackground() throws {
        let target = try #require(catalogue.skills.first { $0.stage == .firstApps && !$0.prerequisites.isEmpty })
        let all = GoalDecomposer.decompose(.skill(target.id), catalogue: catalogue, background: .programmer)
        let done = Set(catalogue.prerequisiteClosure(of: [target.id], includingTargets: false))
        let rest = GoalDecomposer.decompose(.skill(target.id), catalogue: catalogue, background: .programmer, completedSkillIDs: done)
        #expect(Set(rest.compactMap(\.skillId)) == [target.id])
        #expect(all.count > rest.count)
        let withBeginnerHours = try #require(catalogue.skills.first { $0.hoursBeginner != nil })
        let programmer = GoalDecomposer.skillTasks(withBeginnerHours, background: .programmer).map(\.estimateMinutes).reduce(0, +)
        let beginner = GoalDecomposer.skillTasks(withBeginnerHours, background: .beginner).map(\.estimateMinutes).reduce(0, +)
        #expect(beginner > programmer)
    }

    @Test("a project goal ends with the project after all its prerequisite skills")
    func projectGoal() throws {
        let project = try #require(catalogue.projects.first { $0.prerequisites.count >= 2 })
        let tasks = GoalDecomposer.decompose(.project(project.id), catalogue: catalogue, background: .programmer)
        #expect(tasks.last?.projectId == project.id)
        #expect(tasks.last?.kind == .project)
        for prerequisite in project.prerequisites {
            #expect(tasks.contains { $0.skillId == catalogue.canonicalID(prerequisite) })
        }
    }

    @Test("\"become an AI engineer\" resolves to the learner's track; ids, stages and free text resolve too")
    func resolution() throws {
        let programmer = try GoalDecomposer.resolve("Become an AI engineer", catalogue: catalogue, background: .programmer)
        #expect(programmer.target == .track("developer"))
        let beginner = try GoalDecomposer.resolve("become an AI engineer", catalogue: catalogue, background: .beginner)
        #expect(beginner.target == .track("beginner"))
        #expect(try GoalDecomposer.resolve("first-apps", catalogue: catalogue, background: .programmer).target == .stage(.firstApps))
        let skill = catalogue.skills[5]
        #expect(try GoalDecomposer.resolve(skill.id, catalogue: catalogue, background: .programmer).target == .skill(skill.id))
        let free = try GoalDecomposer.resolve("retrieval augmented generation", catalogue: catalogue, background: .programmer)
        #expect(free.matchedBy == "search")
        #expect(throws: GoalError.self) { try GoalDecomposer.resolve("   ", catalogue: catalogue, background: .programmer) }
        #expect(throws: GoalError.self) { try GoalDecomposer.resolve("zzqx qqzz", catalogue: catalogue, background: .programmer) }
        // A time window is no goal, though "mon" starts a roadmap word; a goal in the learner's words is.
        #expect(throws: GoalError.self) {
            try GoalDecomposer.resolve("mon-fri 19:00-21:00", catalogue: catalogue, background: .programmer)
        }
        let own = try GoalDecomposer.resolve("ship a RAG app over my team docs by March", catalogue: catalogue, background: .programmer)
        #expect(own.target == .skill("production-rag-capstone") && own.title == "ship a RAG app over my team docs by March")
    }

    @Test("the whole-roadmap goal covers every skill and project once, in a valid order")
    func trackGoal() throws {
        let tasks = GoalDecomposer.decompose(.track("developer"), catalogue: catalogue, background: .programmer)
        #expect(Set(tasks.compactMap(\.skillId)).count == catalogue.skills.count)
        #expect(Set(tasks.compactMap(\.projectId)).count == catalogue.projects.count)
        let skills = tasks.compactMap(\.skillId)
        for skill in catalogue.skills {
            let first = skills.firstIndex(of: skill.id)!
            for prerequisite in skill.prerequisites {
                #expect(skills.firstIndex(of: catalogue.canonicalID(prerequisite)!)! < first)
            }
        }
    }

    private func order(_ kind: TaskKind) -> Int {
        [TaskKind.learn, .practice, .check, .project].firstIndex(of: kind) ?? 9
    }
}

@Suite("Mastery policy")
struct MasteryTests {
    let catalogue: Catalogue
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    init() throws { catalogue = try Catalogue.bundled() }

    private func skill(_ kind: SkillKind) throws -> Skill { try #require(catalogue.skills.first { $0.kind == kind }) }
    private func daysAgo(_ days: Double) -> Date { now.addingTimeInterval(-days * 86_400) }

    @Test("concept skills need three recent reviews at 80% with the latest right")
    func concept() throws {
        let concept = try skill(.concept)
        let two = SkillEvidence(reviews: [(.good, daysAgo(3)), (.good, daysAgo(1))])
        #expect(MasteryPolicy.evaluate(concept, evidence: two, now: now).status == .learning)
        let good = SkillEvidence(reviews: [
            (.good, daysAgo(9)), (.easy, daysAgo(5)), (.again, daysAgo(3)), (.good, daysAgo(2)), (.good, daysAgo(1)),
        ])
        #expect(MasteryPolicy.evaluate(concept, evidence: good, now: now).status == .mastered)
        let lastWrong = SkillEvidence(reviews: [
            (.good, daysAgo(9)), (.good, daysAgo(5)), (.good, daysAgo(4)), (.good, daysAgo(3)), (.again, daysAgo(1)),
        ])
        #expect(MasteryPolicy.evaluate(concept, evidence: lastWrong, now: now).status == .learning)
        let stale = SkillEvidence(reviews: [(.good, daysAgo(90)), (.good, daysAgo(80)), (.good, daysAgo(70))])
        #expect(MasteryPolicy.evaluate(concept, evidence: stale, now: now).status != .mastered)
        #expect(MasteryPolicy.evaluate(concept, evidence: SkillEvidence(), now: now).status == .notStarted)
    }

    @Test("procedures are mastered by finishing practice and check")
    func procedure() throws {
        let procedure = try skill(.procedure)
        let half = SkillEvidence(tasks: [(.learn, true, nil), (.practice, true, nil), (.check, false, nil)])
        #expect(MasteryPolicy.evaluate(procedure, evidence: half, now: now).status == .learning)
        let done = SkillEvidence(tasks: [(.learn, true, nil), (.practice, true, nil), (.check, true, nil)])
        #expect(MasteryPolicy.evaluate(procedure, evidence: done, now: now).status == .mastered)
    }

    @Test("projects need evidence and the whole checklist")
    func project() throws {
        let project = try skill(.project)
        let noEvidence = SkillEvidence(tasks: [(.project, true, nil)], checklistConfirmed: project.checklist.count)
        let decision = MasteryPolicy.evaluate(project, evidence: noEvidence, now: now)
        #expect(decision.status == .learning)
        #expect(decision.reason.contains("evidence"))
        let partial = SkillEvidence(tasks: [(.project, true, "https://github.com/me/rag")], checklistConfirmed: 1)
        #expect(MasteryPolicy.evaluate(project, evidence: partial, now: now).status == .learning)
        let full = SkillEvidence(tasks: [(.project, true, "https://github.com/me/rag")], checklistConfirmed: project.checklist.count)
        #expect(MasteryPolicy.evaluate(project, evidence: full, now: now).status == .mastered)
    }
}
