import BindraceSystem
import BindraceTrace
import CLibBPF
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A byte sink on a file descriptor: every chunk in one write(2) (retried
/// on partial writes), so a killed capture leaves whole chunks behind.
public struct FileDescriptorSink: ByteSink {
    public let fd: Int32
    public private(set) var bytesWritten = 0

    public init(fd: Int32) { self.fd = fd }

    public mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw CaptureError("cannot write the trace: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        bytesWritten += bytes.count
    }
}

/// Creating the output: never through a symlink, mode 0600, and never over an
/// existing file unless asked (then the old file is removed first, and the new
/// one is still created exclusively).
public enum OutputFile {
    public static func create(path: String, replace: Bool) throws -> Int32 {
        if replace {
            var info = stat()
            if lstat(path, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFREG else {
                    throw CaptureError("\(path): exists and is not a regular file; not replacing it")
                }
                if unlink(path) != 0 {
                    throw CaptureError("\(path): cannot replace: \(String(cString: strerror(errno)))")
                }
            }
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd < 0 {
            let reason = errno == EEXIST ? "already exists (use --force to replace it)" : String(cString: strerror(errno))
            throw CaptureError("\(path): \(reason)")
        }
        _ = fchmod(fd, 0o600)
        return fd
    }
}

/// SIGINT and SIGTERM end a capture cleanly.
public enum StopSignal {
    private static let flag = Atomic<Int32>(0)

    public static func install() {
        signal(SIGINT) { _ in StopSignal.flag.store(1, ordering: .relaxed) }
        signal(SIGTERM) { _ in StopSignal.flag.store(1, ordering: .relaxed) }
    }

    public static var requested: Bool { flag.load(ordering: .relaxed) != 0 }

    public static func request() { flag.store(1, ordering: .relaxed) }
}

public func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

public struct CaptureOptions: Sendable {
    /// Stop after this many seconds.
    public var duration: Double?
    /// Stop once udev's queue is empty and no binding activity was seen for
    /// `settleSeconds`.
    public var untilSettled = false
    public var settleSeconds = 3.0
    /// Events are written at least this often (seconds).
    public var flushInterval = 0.1
    /// Sleep between ring-buffer passes that found nothing (microseconds).
    public var idleSleepMicroseconds: UInt32 = 1000
    public var probes = ProbeConfiguration()
    public var verbose = false
    /// Where udev keeps its queue marker while events are pending.
    public var udevQueuePath = "/run/udev/queue"

    public init() {}
}

public struct CaptureSummary: Sendable {
    public var events: UInt64 = 0
    public var dropped: UInt64 = 0
    public var unconverted: UInt64 = 0
    public var seconds: Double = 0
    public var probes: [ProbeStatus] = []
    public var loadRounds = 0
}

/// Converts ring-buffer records and appends them to the trace.
final class Recorder<Sink: ByteSink> {
    var writer: TraceWriter<Sink>
    var converter: RecordConverter
    var converted: UInt64 = 0
    var unconverted: UInt64 = 0
    var markers: UInt64 = 0
    var lastBindingActivity: UInt64
    var failure: (any Error)?

    init(writer: TraceWriter<Sink>, converter: RecordConverter) {
        self.writer = writer
        self.converter = converter
        lastBindingActivity = monotonicNanoseconds()
    }

    func consume(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard let event = converter.event(from: bytes) else {
            unconverted += 1
            return 0
        }
        switch event.kind {
        case .processFork, .processExec, .processExit, .processWait, .workQueued, .workStart, .workEnd,
             .asyncRunStart, .asyncRunEnd, .asyncSynchronize, .asyncScheduled, .lost:
            break
        case .marker:
            markers += 1
        default:
            lastBindingActivity = monotonicNanoseconds()
        }
        do {
            try writer.append(event)
            converted += 1
            return 0
        } catch {
            failure = error
            return -1
        }
    }
}

/// Called by libbpf for each record; `context` is the recorder's box.
final class RecordHandler {
    let handle: (UnsafeRawBufferPointer) -> Int32
    init(_ handle: @escaping (UnsafeRawBufferPointer) -> Int32) { self.handle = handle }
}

private let ringBufferSample: ring_buffer_sample_fn = { context, data, size in
    guard let context, let data else { return 0 }
    let handler = Unmanaged<RecordHandler>.fromOpaque(context).takeUnretainedValue()
    return handler.handle(UnsafeRawBufferPointer(start: data, count: size))
}

/// The ring buffer, consumed by polling: `ring_buffer__consume` in a loop with
/// a short sleep when it is empty (measured faster than waiting for wakeups).
public final class RingBufferReader {
    private var ring: OpaquePointer?
    private let handler: RecordHandler

    public init(mapFD: Int32, handle: @escaping (UnsafeRawBufferPointer) -> Int32) throws {
        handler = RecordHandler(handle)
        let context = Unmanaged.passUnretained(handler).toOpaque()
        guard let ring = ring_buffer__new(mapFD, ringBufferSample, context, nil) else {
            throw CaptureError("cannot set up the ring buffer: \(String(cString: strerror(errno)))")
        }
        self.ring = ring
    }

    deinit { if let ring { ring_buffer__free(ring) } }

    /// Consumes what is there; the number of records, or a negative error.
    public func consume() -> Int32 { ring_buffer__consume(ring) }
}

/// One capture: probes, snapshots, the ring buffer and the trace writer.
public struct Capture {
    public var options: CaptureOptions
    public var fileSystem: any FileSystem
    public var log: (String) -> Void

    public init(options: CaptureOptions, fileSystem: any FileSystem = LocalFileSystem(), log: @escaping (String) -> Void = { _ in }) {
        self.options = options
        self.fileSystem = fileSystem
        self.log = log
    }

    /// Runs until a signal, the duration, or settling; returns what it wrote.
    public func run<Sink: ByteSink>(
        sink: Sink, afterFlush: () -> Void = {}, shouldStop: () -> Bool = { StopSignal.requested }
    ) throws -> CaptureSummary {
        let started = monotonicNanoseconds()
        let symbols = KernelSymbols.load(from: fileSystem)
        var configuration = options.probes
        configuration.deviceAttachAsyncHelper = symbols.address(of: "__device_attach_async_helper")
        configuration.driverAttachAsyncHelper = symbols.address(of: "__driver_attach_async_helper")

        let probes = try BPFProbes()
        try probes.start(
            configuration: configuration, verbose: options.verbose,
            alternates: { symbols.names(withPrefix: $0 + ".") }, addresses: { symbols.addresses(of: $0) })
        defer { probes.close() }
        var summary = CaptureSummary()
        summary.probes = probes.statuses
        summary.loadRounds = probes.loadRounds

        let collector = SnapshotCollector(fileSystem: fileSystem)
        var notes = [
            "tool": "bindrace capture",
            "clock": "CLOCK_MONOTONIC",
            "bpf_load_rounds": String(probes.loadRounds),
            "kallsyms_text_symbols": String(symbols.count),
        ]
        notes["capture_start_ns"] = String(started)
        let writer = try TraceWriter(sink: sink)
        let recorder = Recorder(writer: writer, converter: RecordConverter(symbolName: { symbols.name($0) }))
        try recorder.writer.write(collector.collect(phase: .start, probes: probes.statuses, notes: notes))
        afterFlush()

        let ring = try RingBufferReader(mapFD: probes.eventsMapFD) { recorder.consume($0) }
        var lastLost = probes.lostCounts()
        let flushEvery = UInt64(options.flushInterval * 1e9)
        var lastFlush = monotonicNanoseconds()

        func recordLosses() throws {
            let now = probes.lostCounts()
            for cpu in 0..<min(now.count, lastLost.count) where now[cpu] > lastLost[cpu] {
                let count = now[cpu] - lastLost[cpu]
                summary.dropped += count
                try recorder.writer.append(Event(
                    timestamp: monotonicNanoseconds(), cpu: UInt16(cpu), pid: UInt32(getpid()),
                    comm: "bindrace", payload: .lost(count: count)))
            }
            if !now.isEmpty { lastLost = now }
        }

        while true {
            let n = ring.consume()
            if let failure = recorder.failure { throw failure }
            if n < 0 && n != -EINTR {
                throw CaptureError("reading the ring buffer failed: \(String(cString: strerror(-n)))")
            }
            let now = monotonicNanoseconds()
            if now &- lastFlush >= flushEvery {
                try recordLosses()
                try recorder.writer.flush()
                afterFlush()
                lastFlush = now
                if shouldStop() { break }
                if let duration = options.duration, Double(now &- started) / 1e9 >= duration { break }
                if options.untilSettled,
                   Double(now &- recorder.lastBindingActivity) / 1e9 >= options.settleSeconds,
                   !fileSystem.exists(options.udevQueuePath) {
                    break
                }
            }
            if n <= 0 { usleep(options.idleSleepMicroseconds) }
        }
        // Drain what the kernel still holds.
        while ring.consume() > 0 {}
        if let failure = recorder.failure { throw failure }
        try recordLosses()
        try recorder.writer.write(collector.collect(phase: .end, probes: probes.statuses, notes: notes))
        try recorder.writer.finish()
        afterFlush()
        summary.events = recorder.writer.count
        summary.unconverted = recorder.unconverted
        summary.seconds = Double(monotonicNanoseconds() - started) / 1e9
        return summary
    }
}
