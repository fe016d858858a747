import ArgumentParser
import BindraceCheck
import BindraceReplay
import BindraceTrace

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show devices whose winner, feasible winners or verdict changed between two trace sets.",
        discussion: """
            BEFORE and AFTER are each a trace or a comma-separated set of traces (boots of
            one machine, merged). Without AFTER, AFTER is BEFORE re-run with the what-if
            options: 'bindrace diff boot.brt --cmdline "... vfio-pci.ids=10de:1db4"'.
            What-if options apply to the AFTER side only.
            Exit status: 0 nothing changed; 1 some outcome changed; 2 input error.
            """)

    @Argument(help: "The traces before (a path, or paths separated by commas).")
    var before: String

    @Argument(help: "The traces after; default: BEFORE with the what-if options applied.")
    var after: String?

    @Option(help: "Output: text or json.")
    var format: OutputFormat = .text

    @Option(name: .customLong("input-format"), help: "Read the traces as binary or jsonl instead of guessing from their names.")
    var inputFormat: TraceEncoding?

    @OptionGroup(title: "What-if")
    var whatIf: WhatIfOptions

    func validate() throws {
        if after == nil && whatIf.modprobeD == nil && whatIf.cmdline == nil && whatIf.overrides.isEmpty {
            throw ValidationError("give AFTER traces, or what-if options to compare BEFORE with")
        }
        if Self.split(before).isEmpty || after.map({ Self.split($0).isEmpty }) == true { throw ValidationError("empty trace set") }
    }

    static func split(_ set: String) -> [String] { set.split(separator: ",").map(String.init).filter { !$0.isEmpty } }

    func run() throws {
        let config: WhatIfConfig
        do { config = try whatIf.config() } catch { throw DiagnosticPrinter.fail(error) }
        let beforePaths = Self.split(before), afterPaths = Self.split(after ?? before)
        let a = try LoadedTraces.load(beforePaths, encoding: inputFormat, whatIf: WhatIfConfig())
        let b = try LoadedTraces.load(afterPaths, encoding: inputFormat, whatIf: config)
        let ra = ReplayAnalyzer.analyze(a.facts), rb = ReplayAnalyzer.analyze(b.facts)
        let changes = OutcomeDiffer.diff(before: ra, after: rb)
        let afterNames = after == nil ? afterPaths.map { "\($0) (what-if)" } : afterPaths
        switch format {
        case .text: Terminal.writeOut(DiffRenderer.text(changes, before: beforePaths, after: afterNames, notes: b.notes))
        case .json: Terminal.writeOut(DiffRenderer.json(changes, before: beforePaths, after: afterNames, notes: b.notes))
        }
        if a.damaged || b.damaged { throw CommandFailure(status: .inputError) }
        if !changes.isEmpty { throw CommandFailure(status: .findings) }
    }
}
