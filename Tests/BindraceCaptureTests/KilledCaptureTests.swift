import Foundation
import Testing

/// A capture killed with SIGKILL leaves every chunk it flushed readable: the
/// executable, as a user runs it, on this host's raw tracepoints.
@Suite("A killed capture", .serialized, .enabled(if: HostBPF.privileged, "needs CAP_BPF and CAP_PERFMON, or root"))
struct KilledCaptureTests {
    static var bindrace: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("bindrace")
    }

    @Test("SIGKILL mid-run: inspect reads the trace up to its last flushed chunk")
    func sigkill() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("killed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let trace = dir.appendingPathComponent("killed.brt")

        let capture = Process()
        capture.executableURL = Self.bindrace
        capture.arguments = ["capture", "-o", trace.path, "--duration", "60"]
        capture.standardOutput = FileHandle.nullDevice
        capture.standardError = FileHandle.nullDevice
        try capture.run()
        // Loading the probes can take long on a busy machine: wait until the
        // capture has written its start (header and snapshot) before counting
        // on it to record anything.
        let deadline = Date().addingTimeInterval(120)
        while Self.size(of: trace) == 0 && capture.isRunning && Date() < deadline { usleep(100_000) }
        guard Self.size(of: trace) > 0 else {
            if capture.isRunning { kill(capture.processIdentifier, SIGKILL) }
            capture.waitUntilExit()
            Issue.record("the capture wrote nothing in 120 s (exit \(capture.terminationStatus); BPF refused on this host?)")
            return
        }
        // Process events for the raw tracepoints while the capture runs, and
        // time for a few 100 ms flushes.
        for _ in 0..<10 {
            let child = try Process.run(URL(fileURLWithPath: "/bin/true"), arguments: [])
            child.waitUntilExit()
            usleep(150_000)
        }
        kill(capture.processIdentifier, SIGKILL)
        capture.waitUntilExit()
        #expect(capture.terminationReason == .uncaughtSignal)

        let inspect = Process()
        inspect.executableURL = Self.bindrace
        inspect.arguments = ["inspect", "--format", "json", trace.path]
        let out = Pipe(), err = Pipe()
        inspect.standardOutput = out
        inspect.standardError = err
        try inspect.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        inspect.waitUntilExit()
        #expect(inspect.terminationReason == .exit)
        #expect(inspect.terminationStatus == 0 || inspect.terminationStatus == 2, "\(errors)")
        let summary = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        #expect(summary != nil, "inspect printed no JSON: \(errors)")
        #expect(summary?["complete"] as? Bool == false)
        #expect((summary?["events"] as? Int ?? 0) > 0, "no events survived: \(errors)")
        #expect((summary?["snapshots"] as? [Any])?.count == 1, "the start snapshot survives")
        #expect(errors.contains("no end chunk"))
    }

    static func size(of url: URL) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int) ?? 0
    }
}
