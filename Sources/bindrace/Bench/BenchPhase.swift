import BindraceReplay
import BindraceSynth
import BindraceTrace
import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the benchmark harness measures on one trace file, each in a process
/// of its own so that peak memory is per phase.
enum BenchPhase: String, CaseIterable {
    /// (a) The memory-speed limit: every record read, one field folded.
    case scan
    /// Reading alone: chunk checks, checksums, records in place.
    case read
    /// The clock stage alone (reading and happens-before).
    case clocks
    /// (b) What `bindrace report` runs: the streaming replay, its two stages on two threads.
    case analysis
    /// The same on one thread.
    case analysis1 = "analysis-1t"
    /// (c) The baseline: the whole trace recorded on plain vector clocks
    /// (one slot per task ever seen), every lifetime analysed in full.
    case baseline

    /// One line for the parent: `key=value` fields.
    struct Measurement {
        var events = 0
        var seconds = 0.0
        var rssKB = 0
        var notes: [String: String] = [:]

        var line: String {
            var fields = ["events=\(events)", "seconds=\(seconds)", "rss_kb=\(rssKB)"]
            for (k, v) in notes.sorted(by: { $0.key < $1.key }) { fields.append("\(k)=\(v.replacingOccurrences(of: " ", with: "_"))") }
            return fields.joined(separator: " ")
        }

        init() {}

        init?(line: String) {
            for part in line.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
                let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2, kv[0] != "phase" else { continue }
                switch kv[0] {
                case "events": events = Int(kv[1]) ?? 0
                case "seconds": seconds = Double(kv[1]) ?? 0
                case "rss_kb": rssKB = Int(kv[1]) ?? 0
                default: notes[kv[0]] = kv[1].replacingOccurrences(of: "_", with: " ")
                }
            }
            guard events > 0 || seconds > 0 else { return nil }
        }

        var rate: Double { seconds > 0 ? Double(events) / seconds : 0 }
    }

    /// Damage the reader met: the phase counted only the intact events.
    static func noteDamage(_ diagnostics: [TraceDiagnostic], in m: inout Measurement) {
        let damage = diagnostics.filter { $0.severity == .damage }
        guard let first = damage.first else { return }
        m.notes["damage"] = "\(damage.count)" + (first.offset.map { " first at offset \($0)" } ?? "")
    }

    /// Runs the phase in this process; a trace error names the file.
    func measure(_ file: String, truth: String?) throws -> Measurement {
        do {
            return try measureTrace(file, truth: truth)
        } catch let error as TraceError {
            throw InputFailure(error.rendered(file: file))
        }
    }

    private func measureTrace(_ file: String, truth: String?) throws -> Measurement {
        var m = Measurement()
        let stealAtStart = CPUSteal.now()
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        switch self {
        case .scan:
            // A scan of a cached file is short: repeat it for at least 0.3 s
            // and report the mean, so that the ratio is not noise.
            var passes = 0
            var fold: UInt32 = 0
            repeat {
                let (n, f) = try RawScan.run(file)
                m.events += n
                fold ^= f
                passes += 1
            } while elapsed() < 0.3
            m.events /= passes
            m.seconds = elapsed() / Double(passes)
            m.notes["passes"] = "\(passes)"
            m.notes["fold"] = "\(fold)"
        case .read:
            guard let mapped = MappedFile(path: file) else { throw InputFailure("\(file): cannot map") }
            let discarder = PageDiscarder(mapped)
            var input = try TraceInput(source: MemoryRegionSource(mapped.bytes), encoding: .binary)
            var fold: UInt32 = 0
            while try input.visitNext({ visit in
                guard case .events(let records) = visit else { return }
                for i in 0..<records.count where records.isKnown(at: i) {
                    fold ^= records[i].tid
                    m.events += 1
                }
                discarder.discard(before: records.offset)
            }) {}
            m.seconds = elapsed()
            m.notes["fold"] = "\(fold)"
            m.notes["crc32c"] = CRC32C.folds ? "folding" : CRC32C.usesHardware ? "instruction" : "software"
            Self.noteDamage(input.diagnostics, in: &m)
        case .clocks:
            guard let mapped = MappedFile(path: file) else { throw InputFailure("\(file): cannot map") }
            let discarder = PageDiscarder(mapped)
            let pagesAhead = PagesAhead(mapped)
            var input = try TraceInput(source: MemoryRegionSource(mapped.bytes), encoding: .binary)
            var clocks = ClockStage()
            var batch = ClockedBatch()
            // As the analysis reads: the clock stage counts the records for the reader.
            while try input.visitNext(counting: { visit in
                var counted: ChunkTally?
                switch visit {
                case .events(let records):
                    pagesAhead.reach(chunkAt: records.offset, bytes: records.byteCount)
                    counted = clocks.consume(records, into: &batch)
                    discarder.discard(before: records.offset)
                case .snapshot(let snapshot, _, _): clocks.consume(snapshot: snapshot, into: &batch)
                }
                if batch.records >= StreamingAnalysis.batchRecords { batch.clear() }
                return counted
            }) {}
            m.seconds = elapsed()
            m.events = clocks.eventsConsumed
            m.notes["slots"] = "\(clocks.peakClockSlots)"
            // Values while 16 slots do; past that an arena, with its rows held at the end.
            if clocks.clocksWidened {
                m.notes["clocks"] = "arena"
                m.notes["rows"] = "\(clocks.clockRows)"
                m.notes["arena"] = "\(clocks.clockBytes / 1024) KB"
            } else {
                m.notes["clocks"] = "values"
            }
            Self.noteDamage(input.diagnostics, in: &m)
        case .analysis, .analysis1:
            let run = try StreamingAnalysis.run(path: file, encoding: nil, threads: self == .analysis ? 2 : 1)
            m.seconds = elapsed()
            m.events = run.analysis.eventCount
            m.notes["threads"] = "\(run.threads)"
            m.notes["lifetimes"] = "\(run.lifetimesJudged)"
            m.notes["repeats"] = "\(run.repeatHits)"
            m.notes["analysed"] = "\(run.lifetimeAnalyses)"
            m.notes["explorations"] = "\(run.explorations)"
            m.notes["slots"] = "\(run.clockSlots)"
            m.notes["devices"] = "\(run.analysis.devices.count)"
            m.notes["races"] = "\(run.analysis.devices.filter { $0.verdict == .raceVFIOVsNative }.count)"
            // Which stage bounds a two-thread run, and what the final analyses add.
            if let cpu = run.stageCPU {
                m.notes["clock-stage"] = "\(fixed(cpu.clocks, 3)) s cpu"
                m.notes["step-stage"] = "\(fixed(cpu.steps, 3)) s cpu"
            }
            if let waits = run.queueWaits {
                m.notes["clock-waited"] = "\(fixed(waits.reader, 3)) s"
                m.notes["step-waited"] = "\(fixed(waits.steps, 3)) s"
            }
            if let ahead = run.checksumsAhead {
                m.notes["checksums-ahead"] = "\(ahead.used)/\(ahead.verified)"
            }
            m.notes["final"] = "\(fixed(run.finalSeconds, 3)) s"
            // The peak while streaming, apart from what the per-device results and final analyses add.
            m.notes["stream-rss"] = "\(run.streamPeakKB / 1024) MB"
            Self.noteDamage(run.diagnostics, in: &m)
            if let truth { m.notes["planted"] = try PlantedCheck.score(run.analysis, truthFile: truth) }
        case .baseline:
            let facts = try TraceRecording.record(path: file, encoding: nil, clocks: .plain)
            let result = ReplayAnalyzer.analyze([facts])
            m.seconds = elapsed()
            m.events = facts.eventCount
            m.notes["slots"] = "\(facts.taskSlots)"
            m.notes["devices"] = "\(result.devices.count)"
            m.notes["races"] = "\(result.devices.filter { $0.verdict == .raceVFIOVsNative }.count)"
            if let truth {
                m.notes["planted"] = try PlantedCheck.score(
                    TraceAnalysis(name: file, devices: result.devices, warnings: result.warnings, eventCount: result.eventCount), truthFile: truth)
            }
        }
        m.rssKB = TraceRecording.peakRSSKilobytes()
        if let first = stealAtStart, let last = CPUSteal.now() {
            m.notes["steal"] = CPUSteal.note(from: first, to: last)
        }
        return m
    }
}
