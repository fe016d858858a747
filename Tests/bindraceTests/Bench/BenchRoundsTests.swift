@testable import bindrace
import Testing

/// `bench --rounds`: each phase's median run, and each round's ratios kept
/// with their median and range.
@Suite struct BenchRoundsTests {
    static func run(events: Int = 1_000, seconds: Double, note: String = "") -> BenchPhase.Measurement {
        var m = BenchPhase.Measurement()
        m.events = events
        m.seconds = seconds
        if !note.isEmpty { m.notes["run"] = note }
        return m
    }

    @Test func eachPhaseRowIsItsMedianRunByTime() {
        var rounds = BenchRounds()
        rounds.append([(.scan, Self.run(seconds: 0.3, note: "s1")), (.analysis, Self.run(seconds: 4, note: "a1"))])
        rounds.append([(.scan, Self.run(seconds: 0.1, note: "s2")), (.analysis, Self.run(seconds: 6, note: "a2"))])
        rounds.append([(.scan, Self.run(seconds: 0.2, note: "s3")), (.analysis, Self.run(seconds: 5, note: "a3"))])
        let rows = rounds.medianRuns
        #expect(rows.map(\.0) == [.scan, .analysis])
        // The run itself, notes and all, not a blend of runs.
        #expect(rows.map { $0.1.notes["run"] } == ["s3", "a3"])
        // Four runs: the faster of the middle two.
        rounds.append([(.scan, Self.run(seconds: 0.4, note: "s4")), (.analysis, Self.run(seconds: 7, note: "a4"))])
        #expect(rounds.medianRuns.map { $0.1.notes["run"] } == ["s3", "a3"])
    }

    @Test func ratiosPairThePhasesOfOneRound() {
        var rounds = BenchRounds()
        // Round 1: scan 1000/s, analysis 250/s; round 2: scan 500/s, analysis 200/s.
        rounds.append([(.scan, Self.run(seconds: 1)), (.analysis, Self.run(seconds: 4))])
        rounds.append([(.scan, Self.run(seconds: 2)), (.analysis, Self.run(seconds: 5))])
        #expect(rounds.ratios(.analysis, over: .scan) == [0.25, 0.4])
        let lines = rounds.ratioLines
        #expect(lines == ["ratio analysis/scan      (b/a) by round: 0.250 0.400; median 0.325, range 0.250-0.400"], "\(lines)")
        // No baseline or one-thread analysis ran: no line for them.
        #expect(rounds.ratios(.analysis, over: .baseline).isEmpty)
    }

    @Test func aRoundWithoutAPhaseGivesNoRatio() {
        var rounds = BenchRounds()
        rounds.append([(.scan, Self.run(seconds: 1)), (.analysis, Self.run(seconds: 2))])
        // No analysis in this round.
        rounds.append([(.scan, Self.run(seconds: 1))])
        // A scan of no time has no rate to divide by.
        rounds.append([(.scan, Self.run(seconds: 0)), (.analysis, Self.run(seconds: 2))])
        #expect(rounds.ratios(.analysis, over: .scan) == [0.5])
    }

    @Test func median() {
        #expect(BenchRounds.median([]) == nil)
        #expect(BenchRounds.median([3]) == 3)
        #expect(BenchRounds.median([5, 1, 3]) == 3)
        #expect(BenchRounds.median([4, 1, 3, 2]) == 2.5)
    }
}
