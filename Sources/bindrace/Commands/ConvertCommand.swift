import ArgumentParser
import BindraceTrace

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a trace between the binary (.brt) and JSONL (.jsonl) forms.",
        discussion: """
            The conversion is lossless both ways: binary → JSONL → binary gives the
            same bytes. On a damaged trace it writes every intact chunk, lists what
            was lost on stderr and exits 2, so it doubles as a salvage tool.
            """)

    @Argument(help: "Input trace ('-' for standard input, with --from).")
    var input: String

    @Argument(help: "Output file ('-' for standard output, with --to).")
    var output: String

    @Option(help: "Output form (binary or jsonl); default: from OUTPUT's extension.")
    var to: TraceEncoding?

    @Option(help: "Input form (binary or jsonl); default: from INPUT's extension or content.")
    var from: TraceEncoding?

    func validate() throws {
        if to == nil && TraceEncoding(path: output) == nil {
            throw ValidationError("cannot tell the output form from '\(output)': name it .brt or .jsonl, or give --to")
        }
    }

    func run() throws {
        let target = to ?? TraceEncoding(path: output)!
        var trace: TraceInput<FileByteSource>
        let sink: FileByteSink
        do {
            trace = try TraceFiles.open(input, encoding: from)
            sink = try TraceFiles.create(output)
        } catch {
            throw DiagnosticPrinter.fail(error)
        }
        let outcome: TraceConversion.Outcome
        do {
            switch target {
            case .binary: outcome = try TraceConversion.toBinary(&trace, sink: sink).1
            case .jsonl: outcome = try TraceConversion.toJSONL(&trace, sink: sink).1
            }
        } catch let error as TraceError {
            throw DiagnosticPrinter.fail(error, file: input)
        } catch {
            throw DiagnosticPrinter.fail(InputFailure("\(output): write failed: \(error)"))
        }
        try? sink.descriptor.close()
        DiagnosticPrinter.print(trace.diagnostics, file: input)
        if outcome.undecodable > 0 {
            Terminal.writeError("bindrace: warning: \(input.terminalSafe): \(outcome.undecodable) event(s) with field values this version cannot represent were dropped\n")
        }
        if trace.hasDamage { throw CommandFailure(status: .inputError) }
    }
}
