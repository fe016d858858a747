import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BindraceReplay
import BindraceSynth
import BindraceTrace
import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The benchmark harness (docs/performance.md): on one trace file, in one
/// run, a raw scan (the memory-speed limit), decoding alone, the full
/// analysis (with and without a decoding thread) and the same analysis on
/// the plain vector-clock core; each phase in a child process of its own so
/// that peak RSS is per phase. `--scaling` compares few against many tasks.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure replay throughput and peak memory on a trace (benchmark harness).",
        discussion: """
            Phases: scan (mmap, fold one field of every record: the memory-speed
            limit), decode (the reader: checksums and records), analysis (full
            report analysis, fast clocks), ahead (the same with decoding on a second
            thread), plain (full analysis on the reference vector-clock core, one slot
            per task ever seen). Prints events/s, the ratios analysis/scan and
            analysis/plain, and each phase's peak RSS (VmHWM of its own process).
            --scaling generates two traces of the same size, one run by about nine
            tasks and one by thousands, and compares throughput.
            """,
        shouldDisplay: false)

    @Argument(help: "Trace file (.brt). With --scaling: a directory for the generated traces.")
    var file: String

    @Option(help: "Comma-separated phases to run (scan,decode,analysis,ahead,plain).")
    var phases: String = "scan,decode,analysis,ahead,plain"

    @Option(help: .hidden)
    var phase: String?

    @Flag(help: "Generate two traces (about 9 tasks, and thousands) and compare throughput.")
    var scaling = false

    @Option(help: "Events per generated trace for --scaling.")
    var events: UInt64 = 2_000_000

    @Option(help: "Short-lived processes per churn round in the many-task trace (--scaling).")
    var processes: Int = 64

    func run() throws {
        if let phase {
            try runPhase(phase)
            return
        }
        if scaling {
            try runScaling()
            return
        }
        let results = try phases.split(separator: ",").map { try Self.child(file: file, phase: String($0)) }
        Terminal.writeOut(Self.table(file: file, results))
    }

    struct PhaseResult {
        var phase: String
        var events: Int
        var seconds: Double
        var rssKB: Int
        var extra: String
        var rate: Double { seconds > 0 ? Double(events) / seconds : 0 }
    }

    static func table(file: String, _ results: [PhaseResult]) -> String {
        var out = "trace: \(file)\n"
        out += "phase      events        seconds   events/s       peak RSS   notes\n"
        for r in results {
            out += pad(r.phase, 10) + " " + pad("\(r.events)", 13) + " " + pad("\(fixed(r.seconds, 3))", 9) + " "
                + pad("\(fixed(r.rate / 1e6, 2))M", 14) + " " + pad("\(r.rssKB / 1024) MB", 10) + " " + r.extra + "\n"
        }
        func rate(_ name: String) -> Double? { results.first { $0.phase == name }.map(\.rate) }
        if let b = rate("analysis"), let a = rate("scan"), a > 0 { out += "ratio analysis/scan  (b/a): \(fixed(b / a, 3))\n" }
        if let b = rate("ahead"), let a = rate("scan"), a > 0 { out += "ratio ahead/scan:           \(fixed(b / a, 3))\n" }
        if let b = rate("analysis"), let c = rate("plain"), c > 0 { out += "ratio analysis/plain (b/c): \(fixed(b / c, 3))\n" }
        if let b = rate("ahead"), let b0 = rate("analysis"), b0 > 0 { out += "ratio ahead/analysis:       \(fixed(b / b0, 3))\n" }
        return out
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }

    /// Runs one phase in a child process and reads its one-line result.
    static func child(file: String, phase: String) throws -> PhaseResult {
        let (status, line) = runSelf(["bench", file, "--phase", phase])
        var fields: [String: String] = [:]
        for part in line.split(separator: " ") {
            let kv = part.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { fields[String(kv[0])] = String(kv[1].filter { !$0.isWhitespace }) }
        }
        guard status == 0, let events = fields["events"].flatMap({ Int($0) }) else {
            throw InputFailure("bench phase \(phase) failed (status \(status)): \(line)")
        }
        return PhaseResult(phase: phase, events: events, seconds: Double(fields["seconds"] ?? "0") ?? 0,
                           rssKB: Int(fields["rss_kb"] ?? "0") ?? 0, extra: String((fields["notes"] ?? "").map { $0 == "_" ? " " : $0 }))
    }

    func runPhase(_ phase: String) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        var events = 0
        var notes = ""
        switch phase {
        case "scan":
            // A scan of a cached file takes milliseconds: repeat it for at
            // least 0.3 s and report the mean, so the ratio is not noise.
            var passes = 0
            var fold: UInt32 = 0
            repeat {
                let (n, f) = try Self.rawScan(file)
                events += n
                fold ^= f
                passes += 1
            } while DispatchTime.now().uptimeNanoseconds - start < 300_000_000
            events /= passes
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(passes)
            Terminal.writeOut("phase=scan events=\(events) seconds=\(seconds) rss_kb=\(TraceRecording.peakRSSKilobytes()) notes=mean_of_\(passes)_passes\n")
            return
        case "decode":
            var input = try TraceFiles.open(file)
            var fold: UInt32 = 0
            while let item = try input.next() {
                if case .events(let chunk) = item {
                    events += chunk.events.count
                    for e in chunk.events { fold ^= e.tid }
                }
            }
            notes = "fold=\(fold)"
        case "clocks":
            // The clock stage alone (reading, happens-before, batches).
            guard let mapped = MappedFile(path: file) else { throw InputFailure("\(file): cannot map") }
            var input = try TraceInput(source: MemoryRegionSource(mapped.bytes), encoding: .binary)
            var clocks = ClockStage()
            var batch = ClockedBatch()
            while try input.visitNext({ visit in
                switch visit {
                case .events(let records): clocks.consume(records, into: &batch)
                case .snapshot(let snapshot, _, _): clocks.consume(snapshot: snapshot, into: &batch)
                }
                if batch.count >= 32768 { batch.clear() }
            }) {}
            events = clocks.eventsConsumed
            notes = "slots_\(clocks.peakClockSlots)_rows_\(clocks.clockRows)"
            withExtendedLifetime(mapped) {}
        case "stream", "stream1":
            let outcome = try StreamingAnalysis.run(path: file, encoding: nil, threads: phase == "stream1" ? 1 : 2)
            let result = outcome.analysis
            events = result.eventCount
            let races = result.devices.filter { $0.verdict == .raceVFIOVsNative }.count
            notes = "threads_\(outcome.threads)_lifetimes_\(outcome.lifetimesJudged)_analysed_\(outcome.lifetimeAnalyses)_explorations_\(outcome.explorations)_slots_\(outcome.clockSlots)_rows_\(outcome.clockRows)_arena_\(outcome.clockBytes >> 10)KB_devices_\(result.devices.count)_races_\(races)"
        case "analysis", "ahead", "plain":
            let facts = try TraceRecording.record(path: file, encoding: nil, clocks: phase == "plain" ? .plain : .compact,
                                                  decodeAhead: phase == "ahead")
            let recorded = DispatchTime.now().uptimeNanoseconds
            let result = ReplayAnalyzer.analyze([facts])
            events = facts.eventCount
            let races = result.devices.filter { $0.verdict == .raceVFIOVsNative }.count
            notes = "record_\(fixed(Double(recorded - start) / 1e9, 4))s_steps_\(facts.steps.count)_slots_\(facts.taskSlots)_devices_\(result.devices.count)_races_\(races)"
        default:
            throw InputFailure("unknown bench phase '\(phase)'")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        Terminal.writeOut("phase=\(phase) events=\(events) seconds=\(seconds) rss_kb=\(TraceRecording.peakRSSKilobytes()) notes=\(notes)\n")
    }

    /// Reads every record of every events chunk through mmap and folds its
    /// tid: no checksums, no decoding, the fastest a pass can go.
    static func rawScan(_ path: String) throws -> (Int, UInt32) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw InputFailure("\(path): cannot open") }
        defer { close(fd) }
        var st = stat()
        fstat(fd, &st)
        let size = Int(st.st_size)
        guard size >= TraceFormat.headerSize, let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED else {
            throw InputFailure("\(path): cannot map")
        }
        defer { munmap(map, size) }
        let base = UnsafeRawPointer(map)
        let recordSize = RawEvent.size
        let headerSize = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 12, as: UInt32.self)))
        var offset = max(TraceFormat.headerSize, headerSize <= 4096 ? headerSize : TraceFormat.headerSize)
        let events = ChunkType.events.code
        var count = 0
        var fold: UInt32 = 0
        while offset + TraceFormat.chunkHeaderSize <= size {
            let type = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
            let length = Int(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)))
            let payload = offset + TraceFormat.chunkHeaderSize
            guard payload + length <= size else { break }
            if type == events, length >= 8 {
                let n = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: payload, as: UInt32.self)))
                var p = base + payload + 8
                for _ in 0..<min(n, (length - 8) / recordSize) {
                    fold ^= UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
                    p += recordSize
                }
                count += n
            }
            offset = payload + ((length + 7) & ~7)
        }
        return (count, fold)
    }

    func runScaling() throws {
        let dir = file
        mkdir(dir, 0o755)
        let few = dir + "/tasks-few.brt", many = dir + "/tasks-many.brt"
        try Self.synthesize(few, SynthConfiguration(seed: 7, targetEvents: events, udevWorkers: 1, processesPerRound: 0, taskPool: 2))
        try Self.synthesize(many, SynthConfiguration(seed: 7, targetEvents: events, processesPerRound: processes))
        var out = ""
        var rates: [String: Double] = [:]
        for (name, path) in [("few", few), ("many", many)] {
            let results = try ["scan", "analysis", "plain"].map { try Self.child(file: path, phase: $0) }
            let a = results[1], c = results[2]
            let tasks = try Self.distinctTasks(path)
            out += "\(name): \(path): \(a.events) events, \(tasks) tasks (tid lifetimes), analysis \(fixed(a.rate / 1e6, 2))M/s (\(a.extra)), plain \(fixed(c.rate / 1e6, 2))M/s, scan \(fixed(results[0].rate / 1e6, 2))M/s, RSS \(a.rssKB / 1024) MB / \(c.rssKB / 1024) MB\n"
            rates[name + "-analysis"] = a.rate
            rates[name + "-plain"] = c.rate
            rates[name + "-record"] = Double(a.events) / Self.recordSeconds(a.extra)
            rates[name + "-record-plain"] = Double(c.events) / Self.recordSeconds(c.extra)
            out += "  recording (happens-before core, one pass): fast \(fixed(rates[name + "-record"]! / 1e6, 2))M/s, plain \(fixed(rates[name + "-record-plain"]! / 1e6, 2))M/s\n"
        }
        out += "analysis throughput many/few tasks: \(fixed(rates["many-analysis"]! / rates["few-analysis"]!, 3)) (target >= 0.5)\n"
        out += "plain    throughput many/few tasks: \(fixed(rates["many-plain"]! / rates["few-plain"]!, 3))\n"
        out += "recording many/few tasks: fast \(fixed(rates["many-record"]! / rates["few-record"]!, 3)), plain \(fixed(rates["many-record-plain"]! / rates["few-record-plain"]!, 3))\n"
        Terminal.writeOut(out)
    }

    /// The `record Ns` part of an analysis phase's notes.
    static func recordSeconds(_ notes: String) -> Double {
        let words = notes.split(separator: " ")
        guard let i = words.firstIndex(of: "record"), i + 1 < words.count else { return .infinity }
        return Double(words[i + 1].dropLast()) ?? .infinity
    }

    static func synthesize(_ path: String, _ config: SynthConfiguration) throws {
        var boot = SyntheticBoot(config)
        let sink = try TraceFiles.create(path)
        var writer = try TraceWriter(sink: sink)
        try writer.write(boot.snapshot())
        _ = try boot.generate { try writer.append($0) }
        try writer.finish()
        try? sink.descriptor.close()
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
