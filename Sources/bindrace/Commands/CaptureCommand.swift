import ArgumentParser
import BindraceTrace
#if BINDRACE_HAVE_CAPTURE
import BindraceCapture
import BindraceSystem
#endif
#if canImport(Glibc)
import Glibc
#endif

struct CaptureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Record driver-core, module, process and uevent events with eBPF into a trace.",
        discussion: """
            Needs CAP_BPF and CAP_PERFMON (or root). Ends on SIGINT or SIGTERM, after
            --duration, or with --until-settled once udev's queue is empty and no
            binding activity was seen for --settle-time seconds. The trace is created
            without following symlinks, mode 0600, and written chunk by chunk at least
            every 100 ms, so a killed capture keeps everything up to the last flush.
            Probes the running kernel does not offer are listed in the trace's
            snapshot (and with --verbose on stderr); the rest keep working.
            """)

    @Option(name: [.short, .customLong("output")], help: "The trace file to create.")
    var output: String

    @Option(help: "Stop after this many seconds.")
    var duration: Double?

    @Flag(name: .customLong("until-settled"), help: "Stop once udev has settled and binding activity has stopped.")
    var untilSettled = false

    @Option(name: .customLong("settle-time"), help: "Quiet seconds that count as settled.")
    var settleTime: Double = 3

    @Flag(help: "Replace an existing output file (never through a symlink).")
    var force = false

    @Option(name: .customLong("pid-file"), help: "Write the capture's process id here (for boot-time handover).")
    var pidFile: String?

    @Flag(help: "Boot-time capture: mark the process (argv[0] starting with '@') so systemd's switch-root in an initrd leaves it running.")
    var boot = false

    @Option(name: .customLong("skip-probe"), help: "Leave out a probe by name (repeatable).")
    var skipProbes: [String] = []

    @Flag(name: .customLong("no-fentry"), help: "Do not use fentry/fexit: use the kprobe fallbacks.")
    var noFentry = false

    @Flag(help: "Print every probe's status and libbpf's messages.")
    var verbose = false

    @Option(name: .customLong("throughput-test"), help: ArgumentHelp(
        "Self-test: make this many system calls while capturing and report the rate.", visibility: .hidden))
    var throughputTest: Int?

    func validate() throws {
        if let duration, !(duration > 0) { throw ValidationError("--duration must be positive") }
        if !(settleTime > 0) { throw ValidationError("--settle-time must be positive") }
    }

    func run() throws {
#if BINDRACE_HAVE_CAPTURE
        try CaptureRunner(command: self, privileges: ProcStatusPrivileges()).run()
#else
        Terminal.writeError("bindrace: capture support was not compiled in (libbpf's headers were missing at build time)\n")
        throw CommandFailure(status: .inputError)
#endif
    }
}

#if BINDRACE_HAVE_CAPTURE
/// The command's work, with the privilege check as a seam.
struct CaptureRunner {
    var command: CaptureCommand
    var privileges: any PrivilegeSource

    func run() throws {
        guard let current = privileges.current() else {
            Terminal.writeError("bindrace: cannot read this process's credentials from /proc/self/status\n")
            throw CommandFailure(status: .inputError)
        }
        guard current.allowsCapture else {
            Terminal.writeError("bindrace: " + current.refusal + "\n")
            throw CommandFailure(status: .inputError)
        }
        let fd: Int32
        do {
            fd = try OutputFile.create(path: command.output, replace: command.force)
        } catch {
            Terminal.writeError("bindrace: \(error)".terminalSafe + "\n")
            throw CommandFailure(status: .inputError)
        }
        defer { close(fd) }
        if let pidFile = command.pidFile {
            Terminal.writePIDFile(pidFile)
        }
        StopSignal.install()
        if command.boot, let first = CommandLine.unsafeArgv[0], first[0] != 0 {
            first[0] = CChar(bitPattern: UInt8(ascii: "@"))
        }

        var options = CaptureOptions()
        options.duration = command.duration
        options.untilSettled = command.untilSettled
        options.settleSeconds = command.settleTime
        options.verbose = command.verbose
        options.probes.skipHooks = Set(command.skipProbes)
        if command.noFentry { options.probes.skipFamilies.insert("fentry") }
        var workerDone: (() -> (UInt64, Double))?
        if let count = command.throughputTest {
            options.probes.markerProcess = UInt32(getpid())
            options.idleSleepMicroseconds = 200
            workerDone = ThroughputLoad.start(count: count)
        }
        let output = command.output
        let capture = Capture(options: options)
        let summary: CaptureSummary
        do {
            summary = try capture.run(
                sink: FileDescriptorSink(fd: fd),
                afterFlush: { _ = fdatasync(fd) },
                shouldStop: { StopSignal.requested || (workerDone.map { ThroughputLoad.finished($0) } ?? false) })
        } catch {
            Terminal.writeError("bindrace: \(output): \(error)".terminalSafe + "\n")
            throw CommandFailure(status: .inputError)
        }
        let attached = summary.probes.filter(\.attached)
        let missing = summary.probes.filter { !$0.attached }.map(\.name)
        var line = "bindrace: \(output): \(summary.events) events in \(String(format1: summary.seconds)) s; "
        line += "\(attached.count) of \(summary.probes.count) probes attached"
        if !missing.isEmpty { line += " (not: " + missing.joined(separator: ", ") + ")" }
        if summary.dropped > 0 { line += "; \(summary.dropped) events lost" }
        Terminal.writeError(line.terminalSafe + "\n")
        if command.verbose {
            for probe in summary.probes {
                Terminal.writeError("  \(probe.name): \(probe.attached ? "attached" : "not attached"), \(probe.detail)".terminalSafe + "\n")
            }
        }
        if let workerDone {
            let (calls, seconds) = workerDone()
            Terminal.writeOut("throughput: \(calls) system calls in \(String(format1: seconds)) s = \(Int(Double(calls) / seconds)) events/s offered; \(summary.events) events written, \(summary.dropped) lost\n")
        }
    }
}

/// The throughput self-test's load: one thread making system calls.
enum ThroughputLoad {
    final class State: @unchecked Sendable {
        var done = false
        var calls: UInt64 = 0
        var seconds = 0.0
    }

    static func start(count: Int) -> () -> (UInt64, Double) {
        let state = State()
        state.calls = UInt64(count)
        let box = Unmanaged.passRetained(state).toOpaque()
        var thread = pthread_t()
        pthread_create(&thread, nil, { raw in
            let state = Unmanaged<State>.fromOpaque(raw!).takeRetainedValue()
            usleep(300_000)  // let the capture start
            let count = state.calls
            let start = monotonicNanoseconds()
            for _ in 0..<count { _ = getppid() }
            state.seconds = Double(monotonicNanoseconds() - start) / 1e9
            usleep(200_000)
            state.done = true
            return nil
        }, box)
        return { (state.calls, state.seconds) }
    }

    static func finished(_ done: () -> (UInt64, Double)) -> Bool { done().1 > 0 }
}

extension String {
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }
}

extension Terminal {
    static func writePIDFile(_ path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        write(fd: fd, "\(getpid())\n")
        close(fd)
    }
}
#endif
