import BindraceSystem
import BindraceTrace
import Testing
#if canImport(Glibc)
import Glibc
#endif

@testable import BindraceCapture

/// What this host can do: these tests load the real BPF object. The CI host
/// runs raw_tracepoint programs and ring buffers but has no fentry or
/// kprobes; programs it rejects must not stop the rest.
enum HostBPF {
    static let privileged = ProcStatusPrivileges().current()?.allowsCapture ?? false

    /// Starts probes, or says why this host cannot (then the test returns).
    static func start(_ configuration: ProbeConfiguration) -> BPFProbes? {
        do {
            let probes = try BPFProbes()
            try probes.start(configuration: configuration)
            return probes
        } catch {
            print("skipping: BPF is not permitted here: \(error)")
            return nil
        }
    }

    static func spawn(_ path: String) -> pid_t {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(path), nil]
        defer { argv.forEach { free($0) } }
        let rc = posix_spawn(&pid, path, nil, nil, argv, environ)
        return rc == 0 ? pid : -1
    }
}

@Suite("BPF on this host", .serialized, .enabled(if: HostBPF.privileged, "needs CAP_BPF and CAP_PERFMON, or root"))
struct HostBPFTests {
    @Test("programs the kernel rejects are reported; raw tracepoints record process events")
    func processEvents() throws {
        guard let probes = HostBPF.start(ProbeConfiguration()) else { return }
        defer { probes.close() }
        let statuses = Dictionary(uniqueKeysWithValues: probes.statuses.map { ($0.name, $0) })
        // Every hook has a status, attached or with the reason it is not.
        for hook in ["driver_register", "__driver_probe_device", "device_add", "pci_add_dynid", "sched_process_fork", "netlink_broadcast"] {
            #expect(statuses[hook] != nil, "no status for \(hook)")
        }
        for hook in ["sched_process_fork", "sched_process_exec", "sched_process_exit"] {
            #expect(statuses[hook]?.attached == true, "\(hook): \(statuses[hook]?.detail ?? "")")
            #expect(statuses[hook]?.detail == "raw_tracepoint")
        }
        for status in probes.statuses where !status.attached { #expect(!status.detail.isEmpty) }
        print("host: \(probes.statuses.filter(\.attached).count) of \(probes.statuses.count) probes attached in \(probes.loadRounds) load round(s)")

        let converter = RecordConverter()
        var events: [Event] = []
        let ring = try RingBufferReader(mapFD: probes.eventsMapFD) { bytes in
            if let event = converter.event(from: bytes) { events.append(event) }
            return 0
        }
        let child = HostBPF.spawn("/bin/true")
        try #require(child > 0)
        var status: Int32 = 0
        waitpid(child, &status, 0)
        let deadline = monotonicNanoseconds() + 3_000_000_000
        func seen() -> (fork: Bool, exec: Bool, exit: Bool) {
            (events.contains { if case .processFork(let c, _, _) = $0.payload { return c == UInt32(child) }; return false },
             events.contains { $0.pid == UInt32(child) && $0.kind == .processExec },
             events.contains { $0.pid == UInt32(child) && $0.kind == .processExit })
        }
        while monotonicNanoseconds() < deadline {
            _ = ring.consume()
            let s = seen()
            if s.fork && s.exec && s.exit { break }
            usleep(10_000)
        }
        let s = seen()
        #expect(s.fork && s.exec && s.exit, "fork \(s.fork) exec \(s.exec) exit \(s.exit)")
        let exec = events.first { $0.pid == UInt32(child) && $0.kind == .processExec }
        if case .processExec(let file)? = exec?.payload { #expect(file.hasSuffix("/true")) }
        let fork = events.first { if case .processFork(let c, _, _) = $0.payload { return c == UInt32(child) }; return false }
        #expect(fork?.pid == UInt32(getpid()))
    }

    @Test("a full ring buffer counts losses per CPU and the capture writes them as lost events")
    func lossAccounting() throws {
        var options = CaptureOptions()
        options.probes.skipFamilies = ["fentry", "kprobe"]
        options.probes.markerProcess = UInt32(getpid())
        options.probes.ringBufferBytes = 16 * 1024
        options.flushInterval = 0.05
        let offered = 20_000
        var flushes = 0
        var stopAfter = Int.max
        let capture = Capture(options: options, fileSystem: LocalFileSystem())
        let summary: CaptureSummary
        let sink = CollectedBytes()
        do {
            // While the consumer is held up here, the marker program fills
            // the 16 KiB ring (about 200 records) and drops the rest.
            summary = try capture.run(sink: CollectingSink(target: sink), afterFlush: {
                flushes += 1
                if flushes == 2 {
                    for _ in 0..<offered { _ = getppid() }
                    stopAfter = flushes + 2
                }
            }, shouldStop: { flushes >= stopAfter })
        } catch {
            print("skipping: BPF is not permitted here: \(error)")
            return
        }
        #expect(summary.dropped > 0)
        var input = try TraceInput(source: MemoryByteSource(sink.bytes), encoding: .binary)
        var markers: UInt64 = 0
        var lost: UInt64 = 0
        var snapshots = 0
        while let item = try input.next() {
            switch item {
            case .events(let chunk):
                for raw in chunk.events {
                    if raw.kind == .marker { markers += 1 }
                    if raw.kind == .lost { lost += raw.a4 }
                }
            case .snapshot:
                snapshots += 1
            }
        }
        #expect(!input.hasDamage)
        #expect(snapshots == 2)
        #expect(lost == summary.dropped)
        #expect(markers + lost >= UInt64(offered))
        print("loss test: \(markers) markers kept, \(lost) counted lost of \(offered) offered")
    }
}

extension HostBPFTests {
    @Test("--duration and --until-settled end a capture; the trace is complete")
    func stopConditions() throws {
        var options = CaptureOptions()
        options.probes.skipFamilies = ["fentry", "kprobe"]
        options.duration = 0.5
        let sink = CollectedBytes()
        do {
            let summary = try Capture(options: options).run(sink: CollectingSink(target: sink), shouldStop: { false })
            // The upper bound only says it stopped: the time includes loading
            // the probes, which a busy machine can make slow.
            #expect(summary.seconds >= 0.5 && summary.seconds < 60)
        } catch {
            print("skipping: BPF is not permitted here: \(error)")
            return
        }
        // No binding activity on this host and no udev queue: settled after the quiet time.
        options.duration = nil
        options.untilSettled = true
        options.settleSeconds = 0.3
        options.udevQueuePath = "/nonexistent/udev/queue"
        let settled = try Capture(options: options).run(sink: CollectingSink(target: CollectedBytes()), shouldStop: { false })
        #expect(settled.seconds >= 0.3 && settled.seconds < 60)
        var input = try TraceInput(source: MemoryByteSource(sink.bytes), encoding: .binary)
        var snapshots: [Snapshot] = []
        while let item = try input.next() { if case .snapshot(let s, _, _) = item { snapshots.append(s) } }
        #expect(snapshots.map(\.phase) == [.start, .end])
        #expect(input.binaryStatistics?.endSeen == true)
        #expect(snapshots.first?.probes.contains { $0.name == "sched_process_exec" && $0.attached } == true)
    }
}

/// Lets a test keep the bytes a capture wrote.
final class CollectedBytes {
    var bytes: [UInt8] = []
}

struct CollectingSink: ByteSink {
    let target: CollectedBytes
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws { target.bytes.append(contentsOf: bytes) }
}
