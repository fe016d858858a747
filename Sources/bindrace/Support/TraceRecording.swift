#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BindraceReplay
import BindraceTrace
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch

/// Recording whole traces (the baseline engine, the HTML report's
/// timeline, checks) and measuring memory.
enum TraceRecording {
    /// Records one trace file. `progress` is told the events consumed so far.
    static func record(path: String, encoding: TraceEncoding?, clocks: ClockPolicy = .compact,
                       progress: ((Int) -> Void)? = nil) throws(InputFailure) -> TraceFacts {
        var input = try TraceFiles.open(path, encoding: encoding)
        var recorder = TraceRecorder(name: path, clocks: clocks)
        var failure: TraceError?
        do {
            while let item = try input.next() {
                switch item {
                case .events(let chunk):
                    recorder.consume(chunk, strings: input.strings)
                    progress?(recorder.eventsConsumed)
                case .snapshot(let snapshot, _, _): recorder.consume(snapshot: snapshot)
                }
            }
        } catch {
            failure = error
        }
        var diagnostics = input.diagnostics
        if let failure {
            diagnostics.append(TraceDiagnostic(severity: .damage, offset: failure.offset, line: failure.line, message: failure.message))
        }
        return recorder.finish(diagnostics: diagnostics)
    }

    /// Peak resident set of this process so far, in KiB: /proc/self/status
    /// VmHWM where there is one, else getrusage's ru_maxrss. Not ru_maxrss
    /// first: Linux carries the parent's peak into a spawned child's
    /// ru_maxrss across exec, so a child of a large parent would report the
    /// parent's memory.
    static func peakRSSKilobytes() -> Int {
        let hwm = vmHWM()
        if hwm > 0 { return hwm }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss)
    }

    static func vmHWM() -> Int {
        guard let text = ProcFile.head("/proc/self/status") else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
        }
        return 0
    }

    /// Estimated events in a file (48-byte records), for progress.
    static func estimatedEvents(path: String) -> Int {
        var st = stat()
        guard path != "-", stat(path, &st) == 0 else { return 0 }
        return Int(st.st_size) / (path.hasSuffix(".jsonl") ? 160 : RawEvent.size)
    }
}
