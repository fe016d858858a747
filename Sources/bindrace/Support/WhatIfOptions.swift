import ArgumentParser
import BindraceCheck
import BindraceReplay
import BindraceTrace
import Foundation

/// The what-if options, shared by check and diff (and meant for report): re-run
/// recorded traces against a changed modprobe.d, command line or overrides.
struct WhatIfOptions: ParsableArguments {
    @Option(name: .customLong("modprobe-d"), help: ArgumentHelp("Use this folder's *.conf files instead of the recorded modprobe.d.", valueName: "dir"))
    var modprobeD: String?

    @Option(help: ArgumentHelp("Use this kernel command line instead of the recorded one.", valueName: "cmdline"))
    var cmdline: String?

    @Option(name: .customLong("override"), help: ArgumentHelp("Write driver_override right after the device is added (repeatable).", valueName: "bdf=driver"))
    var overrides: [String] = []

    func validate() throws {
        for o in overrides where WhatIfConfig.Override(argument: o) == nil {
            throw ValidationError("--override '\(o)': expected BDF=DRIVER, e.g. 0000:01:00.0=vfio-pci")
        }
    }

    /// The configuration, with the folder read here: the library only gets texts.
    func config() throws(InputFailure) -> WhatIfConfig {
        var files: [SnapshotFile]?
        if let dir = modprobeD {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
                throw InputFailure("\(dir): not a folder")
            }
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".conf") }.sorted()
            files = []
            for name in names {
                let path = (dir as NSString).appendingPathComponent(name)
                guard let data = FileManager.default.contents(atPath: path) else { throw InputFailure("\(path): cannot read") }
                files!.append(SnapshotFile(path: "/etc/modprobe.d/\(name)", text: String(decoding: data, as: UTF8.self)))
            }
        }
        return WhatIfConfig(modprobeFiles: files, commandLine: cmdline, overrides: overrides.compactMap(WhatIfConfig.Override.init(argument:)))
    }
}

/// Traces read for analysis, with what-if applied when asked.
struct LoadedTraces {
    var facts: [TraceFacts] = []
    var notes: [String] = []
    var damaged = false

    /// Opens and records each trace; an unopenable trace stops with exit 2,
    /// a damaged one is analysed for what is valid and marks `damaged`.
    static func load(_ paths: [String], encoding: TraceEncoding?, whatIf: WhatIfConfig) throws -> LoadedTraces {
        var loaded = LoadedTraces()
        for path in paths {
            var input: TraceInput<FileByteSource>
            do {
                input = try TraceFiles.open(path, encoding: encoding)
            } catch {
                throw DiagnosticPrinter.fail(error)
            }
            let facts: TraceFacts
            if whatIf.isEmpty {
                (facts, _) = TraceRecorder.record(name: path, input: &input)
            } else {
                let outcome = TraceRewriter.rewrite(&input, name: path, whatIf: whatIf)
                facts = outcome.facts
                loaded.notes += outcome.notes
            }
            DiagnosticPrinter.print(facts.diagnostics, file: path)
            if facts.hasDamage { loaded.damaged = true }
            loaded.facts.append(facts)
        }
        return loaded
    }
}
