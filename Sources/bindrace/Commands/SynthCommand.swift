import ArgumentParser
import BindraceSynth
import BindraceTrace
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Generate a large, realistic binary trace with planted races (seeded, reproducible).",
        discussion: """
            A boot with coldplug through udev workers (NICs with SR-IOV, GPUs bound to
            vfio-pci by an override written before coldplug, their audio functions on
            snd_hda_intel), then rounds of VF creation and removal, kernel module
            requests through the usermode helper, short-lived processes, and hotplugged
            devices where vfio-pci's new_id and the native driver's registration race.
            --truth writes what was planted (JSON) so an analysis can be checked.
            """)

    @Option(name: .shortAndLong, help: "Output trace (.brt).")
    var output: String

    @Option(help: "Stop after at least this many events (1e3 to 1e9).")
    var events: UInt64 = 100_000

    @Option(help: "Random seed; the same seed and options give the same bytes.")
    var seed: UInt64 = 1

    @Option(help: "SR-IOV NICs.")
    var nics: Int = 4

    @Option(help: "VFs created per NIC per round.")
    var vfs: Int = 8

    @Option(help: "Passthrough GPUs (each with an audio function).")
    var gpus: Int = 2

    @Option(help: "Parallel udev workers.")
    var workers: Int = 8

    @Option(help: "Plant a vfio-vs-native race every N rounds (0: never).")
    var raceEvery: Int = 16

    @Option(help: "Short-lived processes per round (drives the number of distinct tasks).")
    var processes: Int = 4

    @Option(name: .customLong("task-pool"), help: "Run helpers and scripts in this many long-lived tasks instead of new processes (0: new processes).")
    var taskPool: Int = 0

    @Option(help: "Write the planted outcomes as JSON to this file.")
    var truth: String?

    func validate() throws {
        guard (1_000...1_000_000_000).contains(events) else { throw ValidationError("--events must be between 1000 and 1e9") }
        guard (1...64).contains(nics), (1...64).contains(vfs), (0...64).contains(gpus), (1...256).contains(workers),
              (0...100_000).contains(raceEvery), (0...10_000).contains(processes), (0...10_000).contains(taskPool) else {
            throw ValidationError("a size option is out of range (see --help)")
        }
    }

    func run() throws {
        let config = SynthConfiguration(seed: seed, targetEvents: events, sriovNICs: nics, vfsPerNIC: vfs, gpus: gpus,
                                        udevWorkers: workers, raceEvery: raceEvery, processesPerRound: processes, taskPool: taskPool)
        var boot = SyntheticBoot(config)
        let sink: FileByteSink
        do {
            sink = try TraceFiles.create(output)
        } catch {
            throw DiagnosticPrinter.fail(error)
        }
        var writer = try TraceWriter(sink: sink)
        try writer.write(boot.snapshot())
        let planted = try boot.generate { try writer.append($0) }
        try writer.finish()
        try? sink.descriptor.close()
        if let truth {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(planted)
            do {
                let out = try TraceFiles.create(truth)
                var copy = out
                try data.withUnsafeBytes { try copy.write($0) }
                try? out.descriptor.close()
            } catch let failure as InputFailure {
                throw DiagnosticPrinter.fail(failure)
            }
        }
        Terminal.writeError("bindrace: wrote \(writer.count) events, \(planted.filter { $0.expectation == .raceVfioVsNative }.count) planted races to \(output.terminalSafe)\n")
    }
}
