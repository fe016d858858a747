import ArgumentParser
import BindraceCheck
import BindraceReplay
import BindraceTrace
import Foundation

struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Record today's outcomes of traces as an expectation file (snapshot testing).",
        discussion: """
            Writes the generated section between marker comments. With --update an existing
            file keeps everything outside that section (policies, rules, comments) and the
            comments written above each generated entry. See docs/check.md.
            """)

    @Argument(help: "Traces (.brt or .jsonl) of one machine.")
    var traces: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("The expectation file to write.", valueName: "file"))
    var output: String

    @Flag(help: "Refresh the generated section of an existing file instead of replacing the file.")
    var update = false

    @Option(name: .customLong("input-format"), help: "Read the traces as binary or jsonl instead of guessing from their names.")
    var inputFormat: TraceEncoding?

    func validate() throws {
        if traces.isEmpty { throw ValidationError("give at least one trace") }
        if output == "-" && update { throw ValidationError("--update needs a file, not standard output") }
    }

    func run() throws {
        let loaded = try LoadedTraces.load(traces, encoding: inputFormat, whatIf: WhatIfConfig())
        // A damaged trace must not become the reference outcome.
        if loaded.damaged { throw CommandFailure(status: .inputError) }
        let result = ReplayAnalyzer.analyze(loaded.facts)
        let devices = DeviceFacts.collect(result, traces: loaded.facts)
        let relative = traces.map { Self.relative($0, to: output) }
        let text: String
        if update && FileManager.default.fileExists(atPath: output) {
            let existing = try ExpectationInput.text(output)
            do {
                let outcome = try BaselineUpdater.update(existing: existing, path: output, devices: devices, traces: relative)
                for note in outcome.notes { Terminal.writeError("bindrace: warning: \(note.terminalSafe)\n") }
                text = outcome.text
            } catch {
                throw DiagnosticPrinter.fail(InputFailure(error.description))
            }
        } else {
            text = BaselineGenerator.file(devices: devices, traces: relative)
        }
        // What we write must read back: never leave a file check rejects.
        if case .failure(let error) = Result(catching: { () throws(ExpectationError) in try ExpectationParser.parse(text, path: output) }) {
            throw DiagnosticPrinter.fail(InputFailure("internal: generated file does not parse: \(error.description)"))
        }
        if output == "-" {
            Terminal.writeOut(text)
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw DiagnosticPrinter.fail(InputFailure("\(output): cannot write: \(error.localizedDescription)"))
        }
        Terminal.writeError("bindrace: \(output.terminalSafe): \(devices.filter(\.result.matters).count) devices recorded from \(traces.count) trace(s)\n")
    }

    /// A trace path as the expectation file names it: relative to its folder.
    static func relative(_ trace: String, to output: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        func absolute(_ p: String) -> [String] {
            let full = p.hasPrefix("/") ? p : (cwd as NSString).appendingPathComponent(p)
            return (full as NSString).standardizingPath.split(separator: "/").map(String.init)
        }
        guard output != "-", trace != "-" else { return trace }
        let t = absolute(trace), dir = Array(absolute(output).dropLast())
        var common = 0
        while common < min(t.count, dir.count) && t[common] == dir[common] { common += 1 }
        return (Array(repeating: "..", count: dir.count - common) + t[common...]).joined(separator: "/")
    }
}
