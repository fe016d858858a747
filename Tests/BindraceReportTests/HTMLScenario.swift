import BindraceReplay
import BindraceReport
import BindraceTrace
import Foundation

/// Bundled scenario traces and hand-made ones, read the way the CLI reads
/// them: one pass for the analysis and the timeline.
enum HTMLScenario {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func text(_ scenario: String) throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent("traces/scenarios/\(scenario)"), encoding: .utf8)
    }

    /// Analysis and timeline of JSONL text.
    static func read(_ jsonl: String, name: String = "trace.jsonl") throws -> (AnalysisResult, TraceTimeline) {
        var input = try TraceInput(source: MemoryByteSource(Array(jsonl.utf8)), encoding: .jsonl)
        let read = TraceReading.recordWithTimeline(name: name, input: &input)
        if let failure = read.failure { throw failure }
        return (ReplayAnalyzer.analyze([read.facts]), read.timeline)
    }

    static func race() throws -> (AnalysisResult, TraceTimeline) {
        try read(text("concurrent-modprobe-vfio-e1000.jsonl"), name: "concurrent-modprobe-vfio-e1000.jsonl")
    }

    static let hostileComm = "<script>alert(1)</script>"
    static let hostileDriver = "e1000\"><img src=x onerror=alert(2)>"
    static let hostileDevice = "0000:00:02.0'><svg onload=alert(3)>"
    static let hostileDevpath = "/devices/</title><script>alert(4)</script>"
    static let hostileFile = "/sbin/<iframe src=javascript:alert(5)>"

    /// The vfio-vs-e1000 race with every trace string replaced by markup
    /// meant to break out of element content, attributes and <title>.
    static func hostileJSONL() throws -> String {
        var lines: [String] = []
        for line in try text("concurrent-modprobe-vfio-e1000.jsonl").split(separator: "\n") {
            guard !line.hasPrefix("#") else { continue }
            var l = String(line)
            l = l.replacingOccurrences(of: "\"comm\":\"modprobe\"", with: "\"comm\":\(json(hostileComm))")
            l = l.replacingOccurrences(of: "\"driver\":\"e1000\"", with: "\"driver\":\(json(hostileDriver))")
            l = l.replacingOccurrences(of: "\"device\":\"0000:00:02.0\"", with: "\"device\":\(json(hostileDevice))")
            l = l.replacingOccurrences(of: "\"devpath\":\"/devices/pci0000:00/0000:00:02.0\"", with: "\"devpath\":\(json(hostileDevpath))")
            l = l.replacingOccurrences(of: "\"filename\":\"/sbin/modprobe\"", with: "\"filename\":\(json(hostileFile))")
            lines.append(l)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ s: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [s], options: [])
        let text = String(decoding: data, as: UTF8.self)
        return String(text.dropFirst().dropLast())
    }

    /// The race plus `count` busy tasks that concern no device (kworkers
    /// doing unrelated work), for the many-tasks case.
    static func raceWithBusyTasks(_ count: Int) throws -> String {
        var text = try self.text("concurrent-modprobe-vfio-e1000.jsonl")
        for i in 0..<count {
            let pid = 20_000 + i
            let t = 9_800_000_000 + UInt64(i) * 1_000_000
            text += "{\"t\":\(t),\"cpu\":0,\"pid\":\(pid),\"comm\":\"kworker/u4:\(i)\",\"kind\":\"work_start\",\"work\":\(i + 1),\"function\":\"flush_to_ldisc\"}\n"
            text += "{\"t\":\(t + 500),\"cpu\":0,\"pid\":\(pid),\"comm\":\"kworker/u4:\(i)\",\"kind\":\"work_end\",\"work\":\(i + 1)}\n"
        }
        return text
    }
}
