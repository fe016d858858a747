import Foundation
import Testing

/// `bindrace report` runs the streaming replay; the whole-trace baseline
/// (`--engine baseline`) must report the same on every bundled trace, the
/// hand-written scenarios and the ones captured on a real kernel, on one
/// thread and on two, and on several traces merged.
@Suite struct ReportCommandTests {
    static var bundledTraces: [String] {
        let root = CLI.repositoryRoot
        var out: [String] = []
        for folder in ["traces/scenarios", "traces/vm"] {
            let dir = root.appendingPathComponent(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            out += names.filter { $0.hasSuffix(".jsonl") || $0.hasSuffix(".brt") }.sorted().map { dir.appendingPathComponent($0).path }
        }
        return out
    }

    @Test func bundledTracesAreFound() {
        #expect(Self.bundledTraces.count >= 20)
    }

    @Test(arguments: bundledTraces)
    func streamingReportEqualsTheBaseline(_ trace: String) throws {
        let baseline = try CLI.run(["report", "--format", "json", "--engine", "baseline", trace])
        for threads in ["1", "2"] {
            let streamed = try CLI.run(["report", "--format", "json", "--trace-threads", threads, trace])
            #expect(streamed.status == baseline.status, "\(trace)")
            #expect(streamed.stdout == baseline.stdout, "\(trace) on \(threads) thread(s)")
            #expect(streamed.stderr == baseline.stderr, "\(trace)")
        }
    }

    @Test func mergedBootsEqualTheBaseline() throws {
        let dir = CLI.repositoryRoot.appendingPathComponent("traces/scenarios").path
        let boots = ["\(dir)/concurrent-modprobe-vfio-e1000.jsonl", "\(dir)/concurrent-modprobe-vfio-e1000.boot2.jsonl"]
        let baseline = try CLI.run(["report", "--format", "json", "--engine", "baseline"] + boots)
        let streamed = try CLI.run(["report", "--format", "json"] + boots)
        #expect(streamed.stdout == baseline.stdout)
        #expect(streamed.status == baseline.status)
    }
}
