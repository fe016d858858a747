import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BindraceSynth
import BindraceTrace
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The benchmark harness (docs/performance.md): on one trace file, in one
/// run, (a) a raw scan, the memory-speed limit; (b) the full analysis as
/// `report` runs it; (c) the baseline on plain vector clocks; each in a
/// process of its own so that peak memory is per phase. `--scaling` compares
/// few against many tasks; `--sizes` produces the table of trace sizes.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure replay throughput and peak memory on a trace (benchmark harness).",
        discussion: """
            Phases: scan (map the file, fold one field of every record: the memory-speed \
            limit), read (chunk checks, checksums, records), clocks (the clock stage \
            alone), analysis (what report runs: the streaming replay on two threads), \
            analysis-1t (the same on one thread), baseline (the whole trace on plain vector \
            clocks, one slot per task ever seen, every lifetime analysed). Prints events/s, \
            the ratios analysis/scan (b/a) and analysis/baseline (b/c), and each phase's \
            peak RSS (VmHWM of its own process) and steal (CPU time the hypervisor gave to \
            others meanwhile). The trace is read before each phase so that it finds the \
            trace in the page cache. With --truth, the planted outcomes found (exit status 1 \
            if any phase missed one). --rounds N runs the phases N times in turn, for a \
            machine whose speed moves from one minute to the next: each ratio is then \
            given for every round (the phases of one round ran back to back), with its \
            median and range.

            --scaling DIR generates two traces of one size, run by a handful of tasks and by \
            tens of thousands, and compares throughput. --sizes DIR generates traces of the \
            given sizes (kept in DIR) and prints the table of sizes against time, events/s \
            and peak RSS; with --rounds, each row is made of the median runs, its b/a is the \
            rounds' median with their range, and the baseline runs in the first round only.
            """,
        shouldDisplay: false)

    @Argument(help: "Trace file (.brt); with --scaling or --sizes, a directory for generated traces.")
    var file: String

    @Option(help: "Comma-separated phases (scan,read,clocks,analysis,analysis-1t,baseline).")
    var phases: String = "scan,read,analysis,analysis-1t,baseline"

    @Option(help: "Planted outcomes (synth --truth) to check the analyses against.")
    var truth: String?

    @Option(help: .hidden)
    var phase: String?

    @Flag(help: "Compare throughput with a handful of tasks against tens of thousands.")
    var scaling = false

    @Option(help: "Events per generated trace for --scaling.")
    var events: UInt64 = 2_000_000

    @Option(help: "Short-lived processes per churn round in the many-task trace (--scaling).")
    var processes: Int = 40

    @Option(help: "Comma-separated trace sizes in events for the table (generated into the directory).")
    var sizes: String?

    @Option(help: "Largest size the baseline phase runs at in the --scaling and --sizes runs (its clocks grow with the tasks).")
    var baselineLimit: UInt64 = 1_000_000

    @Option(help: ArgumentHelp("Run the phases this many times in turn (at most \(BenchRounds.limit)): each phase's row is its median run, and each ratio is given for every round, with its median and range.", valueName: "n"))
    var rounds: Int = 1

    func validate() throws {
        guard (1...BenchRounds.limit).contains(rounds) else {
            throw ValidationError("--rounds must be between 1 and \(BenchRounds.limit)")
        }
        guard rounds == 1 || !scaling else {
            throw ValidationError("--rounds applies to the phases of one trace or to --sizes, not to --scaling")
        }
    }

    func run() throws {
        do {
            try measureAndReport()
        } catch let failure as InputFailure {
            throw DiagnosticPrinter.fail(failure)
        }
    }

    func measureAndReport() throws {
        if let phase {
            guard let p = BenchPhase(rawValue: phase) else { throw InputFailure("unknown bench phase '\(phase)'") }
            Terminal.writeOut("phase=\(phase) " + (try p.measure(file, truth: truth)).line + "\n")
            return
        }
        if scaling { return try runScaling() }
        if let sizes { return try runSizes(sizes) }
        let chosen = try phaseList(phases)
        var measured = BenchRounds()
        for _ in 0..<rounds { measured.append(try chosen.map { ($0, try Self.child(file, $0, truth: truth)) }) }
        if rounds == 1 {
            Terminal.writeOut(Self.table(file, measured.allRuns))
        } else {
            Terminal.writeOut("rounds: \(rounds), the phases in turn; each row is the phase's median run\n"
                + Self.table(file, measured.medianRuns, ratioLines: measured.ratioLines, stealOf: measured.allRuns))
        }
        let missed = measured.allRuns.filter { !Self.foundAll($0.1) }.map { "\($0.0.rawValue) \($0.1.notes["planted"] ?? "")" }
        if !missed.isEmpty {
            Terminal.writeError("bindrace: planted outcomes missed: \(missed.joined(separator: ", "))\n")
            throw CommandFailure(status: .findings)
        }
    }

    /// False when a measurement checked the planted outcomes and missed some.
    static func foundAll(_ m: BenchPhase.Measurement) -> Bool {
        guard let score = m.notes["planted"] else { return true }
        let parts = score.split(separator: "/")
        return parts.count == 2 && parts[0] == parts[1]
    }

    func phaseList(_ text: String) throws -> [BenchPhase] {
        try text.split(separator: ",").map { name in
            guard let p = BenchPhase(rawValue: String(name)) else { throw InputFailure("unknown bench phase '\(name)'") }
            return p
        }
    }

    /// Reads the trace, untimed, so that the phase about to run finds it in
    /// the page cache (when it fits in memory): a scan of a cold file
    /// measures the disk, not the memory-speed limit. Before every phase,
    /// not once: on the project's machines pages of a trace read minutes
    /// before were gone again with memory to spare, and a slow analysis
    /// run of the 100M trace spent 0.9 s of its clock stage's thread
    /// reading them back. Read, not mapped: this process stays small, and
    /// so do the children's peaks (see `peakRSSKilobytes`). A file it
    /// cannot read is left to the phases, which say what is wrong.
    static func warm(_ path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer { buffer.deallocate() }
        while read(fd, buffer, 1 << 20) > 0 {}
    }

    /// Runs one phase in a child process, the trace read just before
    /// (`warm`), and reads its one-line result.
    static func child(_ file: String, _ phase: BenchPhase, truth: String?) throws -> BenchPhase.Measurement {
        warm(file)
        var arguments = ["bench", file, "--phase", phase.rawValue]
        if let truth { arguments += ["--truth", truth] }
        let (status, line) = runSelf(arguments)
        // The child has said why on stderr (inherited) when it stops on bad input.
        if status == ExitStatus.inputError.rawValue { throw CommandFailure(status: .inputError) }
        guard status == 0, let m = BenchPhase.Measurement(line: line) else {
            throw InputFailure("bench phase \(phase.rawValue) failed (\(status < 0 ? "killed by a signal" : "status \(status)"))")
        }
        return m
    }

    /// The phases' rows, then the ratios (by default those of `results`),
    /// damage, and the worst steal (by default among `results`).
    static func table(_ file: String, _ results: [(BenchPhase, BenchPhase.Measurement)], ratioLines: [String]? = nil,
                      stealOf stealRuns: [(BenchPhase, BenchPhase.Measurement)]? = nil) -> String {
        var out = "trace: \(file)\n"
        out += pad("phase", 12) + pad("events", 14) + pad("seconds", 10) + pad("events/s", 12) + pad("peak RSS", 11) + "notes\n"
        for (p, m) in results {
            let notes = m.notes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            out += pad(p.rawValue, 12) + pad("\(m.events)", 14) + pad(fixed(m.seconds, 3), 10) + pad(fixed(m.rate / 1e6, 2) + "M", 12)
                + pad("\(m.rssKB / 1024) MB", 11) + notes + "\n"
        }
        if let ratioLines {
            out += ratioLines.map { $0 + "\n" }.joined()
        } else {
            func rate(_ p: BenchPhase) -> Double? { results.first { $0.0 == p }.map(\.1.rate) }
            if let b = rate(.analysis), let a = rate(.scan), a > 0 { out += "ratio analysis/scan      (b/a): \(fixed(b / a, 3))\n" }
            if let b = rate(.analysis1), let a = rate(.scan), a > 0 { out += "ratio analysis-1t/scan:         \(fixed(b / a, 3))\n" }
            if let b = rate(.analysis), let c = rate(.baseline), c > 0 { out += "ratio analysis/baseline  (b/c): \(fixed(b / c, 3))\n" }
        }
        if let damaged = results.first(where: { $0.1.notes["damage"] != nil }) {
            out += "note: the trace is damaged (\(damaged.1.notes["damage"]!)): phases count only the intact events; "
                + "bindrace inspect names the damage\n"
        }
        if let worst = (stealRuns ?? results).compactMap({ r in stealPercent(r.1).map { (r.0, $0) } }).max(by: { $0.1 < $1.1 }), worst.1 >= stealWarning {
            out += "note: the hypervisor took \(worst.1)% of the CPU time during \(worst.0.rawValue) (steal): "
                + "figures from this run are low and its ratios noisy; compare runs with little steal\n"
        }
        return out
    }

    /// Steal, in percent, at and above which the table says its figures are unreliable.
    static let stealWarning = 10

    static func stealPercent(_ m: BenchPhase.Measurement) -> Int? {
        m.notes["steal"].flatMap { Int($0.dropLast()) }
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }

    // MARK: --scaling

    func runScaling() throws {
        let dir = file
        mkdir(dir, 0o755)
        let few = dir + "/tasks-few.brt", many = dir + "/tasks-many.brt"
        // A handful of long-lived tasks run everything, against a new process per helper, script and modprobe.
        try Self.synthesize(few, SynthConfiguration(seed: 7, targetEvents: events, udevWorkers: 1, processesPerRound: 0, taskPool: 2))
        try Self.synthesize(many, SynthConfiguration(seed: 7, targetEvents: events, processesPerRound: processes))
        var out = ""
        var rates: [String: Double] = [:]
        for (name, path) in [("few", few), ("many", many)] {
            var phases: [BenchPhase] = [.scan, .analysis, .analysis1]
            if events <= baselineLimit { phases.append(.baseline) }
            let results = try phases.map { ($0, try Self.child(path, $0, truth: nil)) }
            let tasks = try Self.distinctTasks(path)
            out += "\(name): \(tasks) tasks (tid lifetimes)\n" + Self.table(path, results)
            for (p, m) in results { rates["\(name)-\(p.rawValue)"] = m.rate }
        }
        for p in ["analysis", "analysis-1t", "baseline"] {
            if let m = rates["many-\(p)"], let f = rates["few-\(p)"], f > 0 {
                out += "\(p) throughput, many tasks / few tasks: \(fixed(m / f, 3))\n"
            }
        }
        Terminal.writeOut(out)
    }

    static func synthesize(_ path: String, _ config: SynthConfiguration, truth: String? = nil) throws {
        var boot = SyntheticBoot(config)
        let sink = try TraceFiles.create(path)
        var writer = try TraceWriter(sink: sink)
        try writer.write(boot.snapshot())
        let planted = try boot.generate { try writer.append($0) }
        try writer.finish()
        try? sink.descriptor.close()
        if let truth {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(planted).write(to: URL(fileURLWithPath: truth))
        }
    }

    /// Tasks in the trace: a tid's lifetime from its first event to its exit
    /// (or to a fork that reuses it).
    static func distinctTasks(_ path: String) throws -> Int {
        var input = try TraceFiles.open(path)
        var live = Set<UInt32>()
        var tasks = 0
        while let item = try input.next() {
            guard case .events(let chunk) = item else { continue }
            for e in chunk.events {
                if live.insert(e.tid).inserted { tasks += 1 }
                if e.kind == .processExit && e.pid == e.tid { live.remove(e.tid) }
                if e.kind == .processFork { live.remove(e.a1 != 0 ? e.a1 : e.a0) }
            }
        }
        return tasks
    }

    // MARK: --sizes

    func runSizes(_ list: String) throws {
        let dir = file
        mkdir(dir, 0o755)
        var rows = "| events | file | devices | scan events/s | analysis time | analysis events/s | b/a | clock / step stage CPU | final "
            + "| peak RSS (at the trace's end) | 1 thread events/s | baseline events/s (RSS) | b/c | planted found | steal |\n"
        rows += "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        for text in list.split(separator: ",") {
            guard let n = UInt64(text) else { throw InputFailure("--sizes: '\(text)' is not a number of events") }
            let path = "\(dir)/synth-\(n).brt", truth = "\(dir)/synth-\(n).truth.json"
            if access(path, R_OK) != 0 || access(truth, R_OK) != 0 {
                try Self.synthesize(path, SynthConfiguration(seed: 1, targetEvents: n), truth: truth)
            }
            // The baseline, the slow phase and not part of b/a, runs in the first round only.
            var measured = BenchRounds()
            for round in 0..<rounds {
                var runs = [(BenchPhase.scan, try Self.child(path, .scan, truth: nil)),
                            (.analysis, try Self.child(path, .analysis, truth: truth)),
                            (.analysis1, try Self.child(path, .analysis1, truth: nil))]
                if round == 0 && n <= baselineLimit { runs.append((.baseline, try Self.child(path, .baseline, truth: nil))) }
                measured.append(runs)
            }
            let median = measured.medianRuns
            func run(_ phase: BenchPhase) -> BenchPhase.Measurement? { median.first { $0.0 == phase }?.1 }
            let scan = run(.scan)!, analysis = run(.analysis)!, single = run(.analysis1)!, baseline = run(.baseline)
            let ratios = measured.ratios(.analysis, over: .scan)
            let ba = rounds == 1 ? fixed(analysis.rate / scan.rate, 3)
                : "\(fixed(BenchRounds.median(ratios) ?? 0, 3)) (\(fixed(ratios.min() ?? 0, 3))-\(fixed(ratios.max() ?? 0, 3)))"
            var st = stat()
            stat(path, &st)
            let baselineText = baseline.map { "\(fixed($0.rate / 1e6, 2))M (\($0.rssKB / 1024) MB)" } ?? "not run"
            // Within the round that ran the baseline.
            let bc = measured.ratios(.analysis, over: .baseline).first.map { fixed($0, 1) } ?? "–"
            // A round that missed a planted outcome shows, whichever run is the median.
            let planted = measured.allRuns.first { $0.0 == .analysis && !Self.foundAll($0.1) }?.1.notes["planted"]
                ?? analysis.notes["planted"] ?? "–"
            // The most the hypervisor took during any phase of the row.
            let steal = measured.allRuns.filter { $0.0 != .baseline }.compactMap { Self.stealPercent($0.1) }.max().map { "\($0)%" } ?? "–"
            // Which stage's thread bounds the run, and the final per-device analyses after it.
            let stages = switch (analysis.notes["clock-stage"].flatMap(Self.leadingSeconds), analysis.notes["step-stage"].flatMap(Self.leadingSeconds)) {
            case let (clock?, step?): "\(fixed(clock, 2)) / \(fixed(step, 2)) s"
            default: "–"
            }
            let final = analysis.notes["final"].flatMap(Self.leadingSeconds).map { "\(fixed($0, 2)) s" } ?? "–"
            // The peak, and the peak before the final analyses and their results.
            let rss = "\(analysis.rssKB / 1024) MB" + (analysis.notes["stream-rss"].map { " (\($0))" } ?? "")
            rows += "| \(analysis.events) | \(Int(st.st_size) >> 20) MB | \(analysis.notes["devices"] ?? "–") | \(fixed(scan.rate / 1e6, 1))M | "
                + "\(fixed(analysis.seconds, 2)) s | \(fixed(analysis.rate / 1e6, 2))M | \(ba) | \(stages) | \(final) | \(rss) | "
                + "\(fixed(single.rate / 1e6, 2))M | \(baselineText) | \(bc) | \(planted) | \(steal) |\n"
        }
        Terminal.writeOut(rows)
    }

    /// The seconds a note starts with (`1.234 s cpu`).
    static func leadingSeconds(_ note: String) -> Double? {
        note.split(separator: " ").first.flatMap { Double($0) }
    }
}

/// `x` with `digits` decimals.
func fixed(_ x: Double, _ digits: Int) -> String {
    guard x.isFinite else { return "\(x)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let n = Int64((abs(x) * scale).rounded())
    let whole = n / Int64(scale), frac = n % Int64(scale)
    var fracText = String(frac)
    while fracText.count < digits { fracText = "0" + fracText }
    return (x < 0 && n != 0 ? "-" : "") + "\(whole)" + (digits > 0 ? "." + fracText : "")
}
