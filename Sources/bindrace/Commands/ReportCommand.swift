import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BindraceReplay
import BindraceReport
import BindraceTrace
import Dispatch

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Replay traces against the driver core: every driver that could win each device, and why.",
        discussion: """
            Give several traces of the same machine (one per boot) to merge them: a
            device whose winner differs between boots is proven nondeterministic.
            Exit status: 1 when a vfio-vs-native race is found; 2 when a trace cannot
            be read or is damaged (what was valid is still analysed and reported, and
            each damaged place is listed on stderr with its file and offset or line).
            """)

    @Argument(help: "Traces (.brt or .jsonl) of one machine, or directories of traces (analysed in parallel).")
    var traces: [String]

    /// `--format`: the shared text/json plus the HTML page.
    enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, html
    }

    @Option(help: "Output: text, json, or html (one self-contained page with a timeline).")
    var format: ReportFormat = .text

    @Option(name: [.short, .customLong("output")], help: "Write the report to this file instead of standard output.")
    var output: String?

    @Option(name: .customLong("input-format"), help: "Read the traces as binary or jsonl instead of guessing from their names.")
    var inputFormat: TraceEncoding?

    @Flag(help: "Also list devices whose outcome is deterministic and not vfio.")
    var all = false

    @Flag(name: [.short, .long], help: "No progress bar on stderr (it is shown only on a terminal anyway).")
    var quiet = false

    @Option(help: "Traces analysed at once (default: the number of cores).")
    var jobs: Int?

    /// The whole-trace baseline (every lifetime analysed, plain vector
    /// clocks) instead of the streaming replay: for comparison only.
    @Option(help: .hidden)
    var engine: Engine = .streaming

    enum Engine: String, ExpressibleByArgument { case streaming, baseline }

    /// Threads for one trace (1: the two stages take turns; 2: they run side
    /// by side). Default: 2 for one large binary trace on a multi-core machine.
    @Option(name: .customLong("trace-threads"), help: .hidden)
    var traceThreads: Int?

    func validate() throws {
        if traces.isEmpty { throw ValidationError("give at least one trace") }
        if traces.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input can be read only once") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    /// A directory stands for the traces in it (.brt, .jsonl), by name.
    static func expand(_ paths: [String]) throws(InputFailure) -> [String] {
        var out: [String] = []
        for path in paths {
            var st = stat()
            if path != "-", stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
                let names: [String]
                do {
                    names = try FileManager.default.contentsOfDirectory(atPath: path)
                } catch {
                    throw InputFailure("\(path): cannot list: \(error)")
                }
                let traces = names.filter { $0.hasSuffix(".brt") || $0.hasSuffix(".jsonl") }.sorted()
                if traces.isEmpty { throw InputFailure("\(path): no traces (.brt, .jsonl) in this directory") }
                out += traces.map { path.hasSuffix("/") ? path + $0 : path + "/" + $0 }
            } else {
                out.append(path)
            }
        }
        return out
    }

    /// Records and analyses every trace, several at once, merged in the
    /// order given (the result does not depend on which finishes first).
    func analyzeInParallel(_ paths: [String]) throws -> (AnalysisResult, damaged: Bool) {
        let total = paths.reduce(0) { $0 + TraceRecording.estimatedEvents(path: $1) }
        let progress = ProgressBar.make(total: total, label: "bindrace", quiet: quiet)
        let cores = StreamingAnalysis.cores()
        let width = min(paths.count, jobs ?? cores)
        // One trace: its two stages may take both cores; several: one each.
        let threads: Int? = traceThreads ?? (width > 1 ? 1 : nil)
        final class Slots: @unchecked Sendable {
            var parts: [Result<(TraceAnalysis, [TraceDiagnostic], Bool), InputFailure>?]
            var next = 0
            let lock = Monitor()
            init(_ n: Int) { parts = Array(repeating: nil, count: n) }
        }
        let slots = Slots(paths.count)
        let count = paths.count
        let encoding = inputFormat
        let engine = self.engine
        let work: @Sendable (Int) -> Void = { _ in
            while true {
                slots.lock.lock()
                let i = slots.next
                slots.next += 1
                slots.lock.unlock()
                guard i < count else { return }
                let path = paths[i]
                let outcome: Result<(TraceAnalysis, [TraceDiagnostic], Bool), InputFailure>
                do {
                    let report = progress.map { bar in { (n: Int) in bar.update(n, part: i) } }
                    switch engine {
                    case .streaming:
                        let run = try StreamingAnalysis.run(path: path, encoding: encoding, threads: threads, tracesTogether: count,
                                                            progress: report)
                        outcome = .success((run.analysis, run.diagnostics, run.diagnostics.contains { $0.severity == .damage }))
                    case .baseline:
                        let facts = try TraceRecording.record(path: path, encoding: encoding, clocks: .plain, progress: report)
                        let analysis = ReplayAnalyzer.analyzeTrace(facts, of: count)
                        outcome = .success((analysis, facts.diagnostics, facts.hasDamage))
                    }
                } catch let failure as InputFailure {
                    outcome = .failure(failure)
                } catch {
                    outcome = .failure(InputFailure("\(path): \(error)"))
                }
                slots.lock.lock()
                slots.parts[i] = outcome
                slots.lock.unlock()
            }
        }
        if width == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: width, execute: work)
        }
        progress?.finish()
        var parts: [TraceAnalysis] = []
        var damaged = false
        for (i, part) in slots.parts.enumerated() {
            switch part! {
            case .failure(let failure): throw DiagnosticPrinter.fail(failure)
            case .success(let (analysis, diagnostics, hasDamage)):
                DiagnosticPrinter.print(diagnostics, file: paths[i])
                if hasDamage { damaged = true }
                parts.append(analysis)
            }
        }
        return (ReplayAnalyzer.merge(parts), damaged)
    }

    func run() throws {
        let traces: [String]
        do {
            traces = try Self.expand(self.traces)
        } catch {
            throw DiagnosticPrinter.fail(error)
        }
        var recorded: [TraceFacts] = []
        var timelines: [TraceTimeline] = []
        var damaged = false
        var analyzed: AnalysisResult?
        if format != .html {
            (analyzed, damaged) = try analyzeInParallel(traces)
        }
        for path in traces where format == .html {
            var input: TraceInput<FileByteSource>
            do {
                input = try TraceFiles.open(path, encoding: inputFormat)
            } catch {
                throw DiagnosticPrinter.fail(error)
            }
            let read = TraceReading.recordWithTimeline(name: path, input: &input)
            let facts = read.facts
            timelines.append(read.timeline)
            DiagnosticPrinter.print(facts.diagnostics, file: path)
            if facts.hasDamage { damaged = true }
            recorded.append(facts)
        }
        let result = analyzed ?? ReplayAnalyzer.analyze(recorded)
        let rendered: String
        switch format {
        case .text:
            let color = output == nil && TerminalColors.enabled(isTerminal: Terminal.isTerminal(fd: 1), noColor: getenv("NO_COLOR").map { String(cString: $0) })
            rendered = TextReport.render(result, options: ReportOptions(showAll: all, color: color))
        case .json: rendered = JSONReport.render(result)
        case .html: rendered = HTMLReport.render(result, timelines: timelines, options: ReportOptions(showAll: all))
        }
        if let output, output != "-" {
            do {
                var sink = try TraceFiles.create(output)
                try Array(rendered.utf8).withUnsafeBytes { try sink.write($0) }
                if output != "-" { try sink.descriptor.close() }
            } catch let failure as InputFailure {
                throw DiagnosticPrinter.fail(failure)
            } catch {
                throw DiagnosticPrinter.fail(InputFailure("\(output): cannot write: \(error)"))
            }
        } else {
            Terminal.writeOut(rendered)
        }
        if damaged { throw CommandFailure(status: .inputError) }
        if result.hasVFIONativeRace { throw CommandFailure(status: .findings) }
    }
}

extension ClockPolicy: ExpressibleByArgument {}

