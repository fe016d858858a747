import Foundation
@testable import bindrace
import Testing

/// `bindrace bench` on a small synthetic trace: every phase measured in its
/// own process, the ratios printed, the planted outcomes checked, and a
/// missed one failing the run.
@Suite struct BenchCommandTests {
    /// A 20k-event synthetic trace and its planted outcomes.
    static func synthetic(in dir: URL) throws -> (trace: String, truth: String) {
        let trace = dir.appendingPathComponent("s.brt").path, truth = dir.appendingPathComponent("s.truth.json").path
        let synth = try CLI.run(["synth", "-o", trace, "--events", "20000", "--truth", truth])
        try #require(synth.status == 0, "\(synth.stderr)")
        return (trace, truth)
    }

    static func ratio(_ name: String, in output: String) -> Double? {
        guard let line = output.split(separator: "\n").first(where: { $0.contains(name) }) else { return nil }
        return line.split(separator: " ").last.flatMap { Double($0) }
    }

    @Test func phasesRatiosAndPlantedOutcomes() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (trace, truth) = try Self.synthetic(in: dir)
        let run = try CLI.run(["bench", trace, "--phases", "scan,read,clocks,analysis,analysis-1t,baseline", "--truth", truth])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        for phase in ["scan", "read", "clocks", "analysis", "analysis-1t", "baseline"] {
            let line = lines.first { $0.hasPrefix(phase + " ") }
            #expect(line != nil, "no \(phase) line in:\n\(run.stdout)")
            // Every phase read every event of the trace.
            #expect(line?.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first == lines.first { $0.hasPrefix("scan ") }?
                .split(separator: " ", omittingEmptySubsequences: true).dropFirst().first)
            #expect(line?.contains(" MB") == true, "peak RSS of \(phase)")
            #expect(line?.contains("steal ") == true, "steal during \(phase)")
        }
        // The two-thread analysis says what each stage's thread spent; both report the final analyses.
        func seconds(_ key: String, _ phase: String) -> Double? {
            let line = lines.first { $0.hasPrefix(phase + " ") } ?? ""
            return line.components(separatedBy: key + " ").dropFirst().first?.split(separator: " ").first.flatMap { Double($0) }
        }
        #expect(seconds("clock-stage", "analysis").map { $0 > 0 } == true, "\(run.stdout)")
        #expect(seconds("step-stage", "analysis").map { $0 > 0 } == true, "\(run.stdout)")
        #expect(seconds("final", "analysis") != nil && seconds("final", "analysis-1t") != nil, "\(run.stdout)")
        #expect(seconds("clock-stage", "analysis-1t") == nil, "one thread has no stage split: \(run.stdout)")
        // And how long each side of the queue waited for the other.
        #expect(seconds("clock-waited", "analysis").map { $0 >= 0 } == true, "\(run.stdout)")
        #expect(seconds("step-waited", "analysis").map { $0 >= 0 } == true, "\(run.stdout)")
        #expect(seconds("step-waited", "analysis-1t") == nil, "one thread has no queue: \(run.stdout)")
        // The clock stage alone says how it held its clocks: as values, on
        // this trace of a handful of slots at once (past 16, an arena).
        let clocksLine = lines.first { $0.hasPrefix("clocks ") } ?? ""
        #expect(clocksLine.contains("clocks values") && !clocksLine.contains("arena "), "\(run.stdout)")
        // On two threads, the chunks whose checksums a waiting side verified ahead: used/verified.
        let ahead = lines.first { $0.hasPrefix("analysis ") }?.components(separatedBy: "checksums-ahead ").dropFirst().first?
            .split(separator: ",").first?.split(separator: "/").compactMap { Int($0) }
        #expect(ahead?.count == 2 && ahead![0] <= ahead![1], "\(run.stdout)")
        #expect(lines.first { $0.hasPrefix("analysis-1t ") }?.contains("checksums-ahead") == false, "\(run.stdout)")
        // Both say the peak RSS before their final analyses.
        #expect(lines.first { $0.hasPrefix("analysis ") }?.contains("stream-rss ") == true, "\(run.stdout)")
        #expect(lines.first { $0.hasPrefix("analysis-1t ") }?.contains("stream-rss ") == true, "\(run.stdout)")
        let ba = Self.ratio("(b/a):", in: run.stdout), bc = Self.ratio("(b/c):", in: run.stdout)
        #expect(ba.map { $0 > 0 } == true, "\(run.stdout)")
        #expect(bc.map { $0 > 0 } == true, "\(run.stdout)")
        // The analyses and the baseline find every planted outcome.
        for phase in ["analysis", "analysis-1t", "baseline"] {
            let line = lines.first { $0.hasPrefix(phase + " ") } ?? ""
            let score = line.components(separatedBy: "planted ").dropFirst().first?.split(separator: ",").first.map(String.init) ?? ""
            let parts = score.split(separator: "/")
            #expect(parts.count == 2 && parts[0] == parts[1] && parts[0] != "0", "\(phase): planted \(score)")
        }
    }

    /// `--sizes`: one generated trace per size, one table row each, with the
    /// stage split and every planted outcome found.
    @Test func sizesTable() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CLI.run(["bench", dir.path, "--sizes", "20000", "--baseline-limit", "20000"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = run.stdout.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
        try #require(rows.count == 3, "\(run.stdout)")
        let header = rows[0], row = rows[2]
        #expect(header.count == row.count)
        func cell(_ name: String) -> String { header.firstIndex(of: name).map { row[$0] } ?? "" }
        #expect(cell("events").hasPrefix("2"), "\(run.stdout)")
        #expect(Double(cell("b/a")).map { $0 > 0 } == true, "\(run.stdout)")
        let stages = cell("clock / step stage CPU").split(separator: " ")
        #expect(stages.count == 4 && Double(stages[0]) != nil && stages[1] == "/" && Double(stages[2]) != nil, "\(run.stdout)")
        #expect(cell("final").hasSuffix(" s"), "\(run.stdout)")
        // The peak, and in brackets the peak before the final analyses, which cannot be above it.
        let rss = cell("peak RSS (at the trace's end)").split(whereSeparator: { " ()".contains($0) })
        #expect(rss.count == 4 && rss[1] == "MB" && rss[3] == "MB", "\(run.stdout)")
        if rss.count == 4, let peak = Int(rss[0]), let streaming = Int(rss[2]) { #expect(streaming <= peak && streaming > 0) }
        #expect(Int(cell("devices")).map { $0 > 0 } == true, "\(run.stdout)")
        #expect(cell("baseline events/s (RSS)").contains("MB"), "\(run.stdout)")
        let planted = cell("planted found").split(separator: "/")
        #expect(planted.count == 2 && planted[0] == planted[1], "\(run.stdout)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("synth-20000.brt").path))
    }

    /// `--rounds`: the phases run in turn, each ratio given per round with
    /// its median and range, and the planted outcomes checked in every round.
    @Test func roundsGiveEachRoundsRatio() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (trace, truth) = try Self.synthetic(in: dir)
        let run = try CLI.run(["bench", trace, "--phases", "scan,analysis", "--rounds", "3", "--truth", truth])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "rounds: 3, the phases in turn; each row is the phase's median run", "\(run.stdout)")
        #expect(lines.filter { $0.hasPrefix("scan ") || $0.hasPrefix("analysis ") }.count == 2, "\(run.stdout)")
        let ratio = try #require(lines.first { $0.hasPrefix("ratio analysis/scan      (b/a) by round: ") }, "\(run.stdout)")
        let parts = ratio.components(separatedBy: "by round: ")[1].components(separatedBy: "; median ")
        let values = parts[0].split(separator: " ").compactMap { Double($0) }
        #expect(values.count == 3 && values.allSatisfy { $0 > 0 }, "\(ratio)")
        let summary = parts[1].components(separatedBy: ", range ")
        let median = try #require(Double(summary[0])), range = summary[1].split(separator: "-").compactMap { Double($0) }
        #expect(range == [values.min()!, values.max()!].map { Double(fixed($0, 3))! }, "\(ratio)")
        #expect(median == Double(fixed(values.sorted()[1], 3)), "\(ratio)")
        // A wrong truth fails the run whichever round missed it.
        var outcomes = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: truth))) as? [[String: Any]])
        outcomes[0]["observed_winner"] = "no-such-driver"
        let wrong = dir.appendingPathComponent("wrong.json")
        try JSONSerialization.data(withJSONObject: outcomes).write(to: wrong)
        let missed = try CLI.run(["bench", trace, "--phases", "analysis", "--rounds", "2", "--truth", wrong.path])
        #expect(missed.status == 1, "\(missed.stdout)\(missed.stderr)")
    }

    /// `--sizes` with `--rounds`: a row of median runs whose b/a is the
    /// rounds' median with their range.
    @Test func sizesTableOverRounds() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CLI.run(["bench", dir.path, "--sizes", "20000", "--baseline-limit", "20000", "--rounds", "3"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = run.stdout.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
        try #require(rows.count == 3, "\(run.stdout)")
        let header = rows[0], row = rows[2]
        func cell(_ name: String) -> String { header.firstIndex(of: name).map { row[$0] } ?? "" }
        let ba = cell("b/a").split(whereSeparator: { " ()-".contains($0) }).compactMap { Double($0) }
        try #require(ba.count == 3, "median (low-high): \(run.stdout)")
        #expect(ba[1] <= ba[0] && ba[0] <= ba[2] && ba[1] > 0, "\(run.stdout)")
        #expect(Double(cell("b/c")).map { $0 > 0 } == true, "the baseline, run once: \(run.stdout)")
        let planted = cell("planted found").split(separator: "/")
        #expect(planted.count == 2 && planted[0] == planted[1], "\(run.stdout)")
    }

    @Test func roundsOutOfRangeOrWithScalingAreUsageErrors() throws {
        for arguments in [["--rounds", "0"], ["--rounds", "51"], ["--rounds", "2", "--scaling"]] {
            let run = try CLI.run(["bench", "unused.brt"] + arguments)
            #expect(run.status == 2, "\(arguments): \(run.stdout)\(run.stderr)")
            #expect(run.stderr.contains("--rounds"), "\(arguments): \(run.stderr)")
        }
    }

    @Test func aMissedPlantedOutcomeFailsTheRun() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (trace, truth) = try Self.synthetic(in: dir)
        var outcomes = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: truth))) as? [[String: Any]])
        try #require(!outcomes.isEmpty)
        outcomes[0]["observed_winner"] = "no-such-driver"
        let wrong = dir.appendingPathComponent("wrong.json")
        try JSONSerialization.data(withJSONObject: outcomes).write(to: wrong)
        let run = try CLI.run(["bench", trace, "--phases", "analysis", "--truth", wrong.path])
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("planted outcomes missed: analysis \(outcomes.count - 1)/\(outcomes.count)"), "\(run.stderr)")
    }

    @Test func badTruthFileIsAOneLineInputError() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (trace, _) = try Self.synthetic(in: dir)
        let bad = dir.appendingPathComponent("bad.json")
        try Data("[{\"device\": 1".utf8).write(to: bad)
        let run = try CLI.run(["bench", trace, "--phases", "analysis", "--truth", bad.path])
        #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
        #expect(!run.signalled)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains(bad.path), "\(run.stderr)")
    }

    @Test func tableWarnsWhenTheHypervisorTookTheCPU() {
        func measured(_ rate: Double, steal: Int) -> BenchPhase.Measurement {
            var m = BenchPhase.Measurement()
            m.events = Int(rate)
            m.seconds = 1
            m.notes["steal"] = "\(steal)%"
            return m
        }
        let calm = BenchCommand.table("t.brt", [(.scan, measured(100, steal: 2)), (.analysis, measured(30, steal: 9))])
        #expect(calm.contains("(b/a): 0.300"))
        #expect(!calm.contains("hypervisor"))
        let busy = BenchCommand.table("t.brt", [(.scan, measured(100, steal: 4)), (.analysis, measured(30, steal: 55))])
        #expect(busy.contains("note: the hypervisor took 55% of the CPU time during analysis (steal)"), "\(busy)")
    }

    @Test func damageIsNamedAndTheIntactEventsMeasured() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (trace, _) = try Self.synthetic(in: dir)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: trace))
        // Overwrite records in the middle: that chunk fails its checksum.
        let middle = bytes.count / 2
        bytes.replaceSubrange(middle..<(middle + 64), with: Data(repeating: 0xFF, count: 64))
        let damaged = dir.appendingPathComponent("damaged.brt").path
        try bytes.write(to: URL(fileURLWithPath: damaged))
        let run = try CLI.run(["bench", damaged, "--phases", "scan,read,analysis"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        for phase in ["read", "analysis"] {
            #expect(lines.first { $0.hasPrefix(phase + " ") }?.contains("damage 1 first at offset ") == true, "\(run.stdout)")
        }
        #expect(run.stdout.contains("note: the trace is damaged (1 first at offset "), "\(run.stdout)")
        // The scan folds the damaged chunk's records too; the reader drops them.
        func events(_ phase: String) -> Int? {
            lines.first { $0.hasPrefix(phase + " ") }.flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true)[1]) }
        }
        let scanned = try #require(events("scan")), read = try #require(events("read"))
        #expect(read < scanned && read > 0)
    }

    @Test func notATraceIsAOneLineInputError() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let garbage = dir.appendingPathComponent("garbage.brt")
        try Data((0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }).write(to: garbage)
        for phases in ["scan", "scan,analysis", "read"] {
            let run = try CLI.run(["bench", garbage.path, "--phases", phases])
            #expect(run.status == 2, "\(phases): \(run.stdout)\(run.stderr)")
            #expect(!run.signalled)
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].contains(garbage.path), "\(run.stderr)")
        }
    }
}
