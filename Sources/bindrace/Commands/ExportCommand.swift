import ArgumentParser
import BindraceReplay
import BindraceReport
import BindraceTrace

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a trace for other viewers (Chrome trace event JSON for ui.perfetto.dev and chrome://tracing).",
        discussion: """
            chrome-trace: every task is a thread named from its comm; driver registrations
            and probes are slices; other events are instants; the happens-before edges
            leading to each race's two events are flow arrows, and the racing events are
            marked (category "race").
            Exit status: 0 when written; 2 when the trace cannot be read or is damaged
            (what was valid is still exported) or the output cannot be written.
            """)

    enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
        case chromeTrace = "chrome-trace"
    }

    @Option(help: "Output format: chrome-trace.")
    var format: ExportFormat = .chromeTrace

    @Argument(help: "The trace (.brt or .jsonl).")
    var trace: String

    @Option(name: [.short, .customLong("output")], help: "The file to write ('-' for standard output).")
    var output: String

    @Option(name: .customLong("input-format"), help: "Read the trace as binary or jsonl instead of guessing from its name.")
    var inputFormat: TraceEncoding?

    func run() throws {
        var input = try TraceFiles.openForCommand(trace, encoding: inputFormat)
        let read = TraceReading.recordWithTimeline(name: trace, input: &input)
        DiagnosticPrinter.print(read.facts.diagnostics, file: trace)
        let result = ReplayAnalyzer.analyze([read.facts])
        let json: String
        switch format {
        case .chromeTrace: json = ChromeTraceExport.render(read.timeline, result: result)
        }
        do {
            var sink = try TraceFiles.create(output)
            try Array(json.utf8).withUnsafeBytes { try sink.write($0) }
            if output != "-" { try sink.descriptor.close() }
        } catch let failure as InputFailure {
            throw DiagnosticPrinter.fail(failure)
        } catch {
            throw DiagnosticPrinter.fail(InputFailure("\(output): cannot write: \(error)"))
        }
        if read.facts.hasDamage { throw CommandFailure(status: .inputError) }
    }
}
