import ArgumentParser
import BindraceTrace
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a trace's header, snapshots, event counts per kind, losses and time span.",
        discussion: """
            Reads the whole trace once, in memory independent of its length. Damage
            (truncated or corrupt chunks, bad JSONL lines) is listed on stderr, one
            line each with the file and the byte offset or line; everything intact is
            still counted, and the exit status is then 2.
            """)

    @Argument(help: "The trace (.brt or .jsonl; '-' reads standard input).")
    var trace: String

    @Option(help: "Output: text or json.")
    var format: OutputFormat = .text

    @Option(name: .customLong("input-format"), help: "Read the trace as binary or jsonl instead of guessing from its name.")
    var inputFormat: TraceEncoding?

    func run() throws {
        var input = try TraceFiles.openForCommand(trace, encoding: inputFormat)
        let summary: TraceSummary
        do {
            summary = try TraceSummary(reading: &input)
        } catch {
            throw DiagnosticPrinter.fail(error, file: trace)
        }
        switch format {
        case .text:
            Terminal.writeOut(summary.text(name: trace))
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(summary)
            Terminal.writeOut(String(decoding: data, as: UTF8.self) + "\n")
        }
        DiagnosticPrinter.print(input.diagnostics, file: trace)
        if input.hasDamage { throw CommandFailure(status: .inputError) }
    }
}
