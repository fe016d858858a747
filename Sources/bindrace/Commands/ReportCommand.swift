import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BindraceReplay
import BindraceReport
import BindraceTrace

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

    @Argument(help: "Traces (.brt or .jsonl) of one machine.")
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

    func validate() throws {
        if traces.isEmpty { throw ValidationError("give at least one trace") }
        if traces.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input can be read only once") }
    }

    func run() throws {
        var recorded: [TraceFacts] = []
        var timelines: [TraceTimeline] = []
        var damaged = false
        for path in traces {
            var input: TraceInput<FileByteSource>
            do {
                input = try TraceFiles.open(path, encoding: inputFormat)
            } catch {
                throw DiagnosticPrinter.fail(error)
            }
            let facts: TraceFacts
            if format == .html {
                let read = TraceReading.recordWithTimeline(name: path, input: &input)
                facts = read.facts
                timelines.append(read.timeline)
            } else {
                facts = TraceRecorder.record(name: path, input: &input).0
            }
            DiagnosticPrinter.print(facts.diagnostics, file: path)
            if facts.hasDamage { damaged = true }
            recorded.append(facts)
        }
        let result = ReplayAnalyzer.analyze(recorded)
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
