import ArgumentParser
import BindraceCheck
import BindraceReplay
import BindraceTrace
import Foundation

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check traces against an expectation file (winners, determinism, policies).",
        discussion: """
            The expectation format, baselines and what-if are described in docs/check.md.
            Without TRACE arguments the traces listed under 'traces:' in the expectation
            file are checked (relative to its folder).
            Exit status: 0 every expectation holds; 1 a violation; 2 an unreadable or
            damaged trace, or a bad expectation file (one line naming FILE:LINE).
            """)

    @Argument(help: "Traces (.brt or .jsonl) of one machine; several are merged as boots.")
    var traces: [String] = []

    @Option(help: ArgumentHelp("The expectation file (YAML).", valueName: "file"))
    var expect: String

    @Option(help: "Output: text or json.")
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("Also write JUnit XML here.", valueName: "file"))
    var junit: String?

    @Option(name: .customLong("input-format"), help: "Read the traces as binary or jsonl instead of guessing from their names.")
    var inputFormat: TraceEncoding?

    @OptionGroup(title: "What-if")
    var whatIf: WhatIfOptions

    func run() throws {
        let file = try ExpectationInput.read(expect)
        var paths = traces
        if paths.isEmpty {
            let base = (expect as NSString).deletingLastPathComponent
            paths = file.traces.map { $0.hasPrefix("/") || base.isEmpty ? $0 : (base as NSString).appendingPathComponent($0) }
        }
        guard !paths.isEmpty else {
            throw DiagnosticPrinter.fail(InputFailure("\(expect): no traces: give TRACE arguments or list them under 'traces:'"))
        }
        let config: WhatIfConfig
        do { config = try whatIf.config() } catch { throw DiagnosticPrinter.fail(error) }
        let loaded = try LoadedTraces.load(paths, encoding: inputFormat, whatIf: config)
        let result = ReplayAnalyzer.analyze(loaded.facts)
        let report = Evaluator.check(file, result: result, devices: DeviceFacts.collect(result, traces: loaded.facts), notes: loaded.notes)
        switch format {
        case .text: Terminal.writeOut(CheckTextRenderer.render(report))
        case .json: Terminal.writeOut(CheckJSONRenderer.render(report))
        }
        if let junit {
            do {
                try Data(JUnitWriter.render([report]).utf8).write(to: URL(fileURLWithPath: junit))
            } catch {
                throw DiagnosticPrinter.fail(InputFailure("\(junit): cannot write: \(error.localizedDescription)"))
            }
        }
        if loaded.damaged { throw CommandFailure(status: .inputError) }
        if !report.passed { throw CommandFailure(status: .findings) }
    }
}

/// Reading an expectation file: the one-line error on any problem.
enum ExpectationInput {
    static func text(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DiagnosticPrinter.fail(InputFailure("\(path): cannot read"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DiagnosticPrinter.fail(InputFailure("\(path): not UTF-8"))
        }
        return text
    }

    static func read(_ path: String) throws -> ExpectationFile {
        let source = try text(path)
        switch Result(catching: { () throws(ExpectationError) in try ExpectationParser.parse(source, path: path) }) {
        case .success(let file): return file
        case .failure(let error): throw DiagnosticPrinter.fail(InputFailure(error.description))
        }
    }
}
