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

    /// A directory stands for its traces sorted by name; several traces give
    /// the same report however many run at once.
    @Test func directoryIsItsTracesByNameOnAnyNumberOfJobs() throws {
        let scenarios = CLI.repositoryRoot.appendingPathComponent("traces/scenarios")
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Names that sort against the order of copying.
        let sources = ["concurrent-modprobe-vfio-e1000.jsonl", "concurrent-modprobe-vfio-e1000.boot2.jsonl", "deferred-forever.jsonl"]
        let names = ["c.jsonl", "a.jsonl", "b.jsonl"]
        for (source, name) in zip(sources, names) {
            try FileManager.default.copyItem(at: scenarios.appendingPathComponent(source), to: dir.appendingPathComponent(name))
        }
        try Data("not a trace".utf8).write(to: dir.appendingPathComponent("notes.txt"))
        let listed = ["a.jsonl", "b.jsonl", "c.jsonl"].map { dir.appendingPathComponent($0).path }
        let byFiles = try CLI.run(["report", "--format", "json", "--jobs", "1"] + listed)
        #expect(byFiles.status <= 1, "\(byFiles.stderr)")
        for jobs in ["1", "2", "3"] {
            let byDir = try CLI.run(["report", "--format", "json", "--jobs", jobs, dir.path])
            #expect(byDir.stdout == byFiles.stdout, "--jobs \(jobs)")
            #expect(byDir.status == byFiles.status)
        }
        let reversed = try CLI.run(["report", "--format", "json"] + listed.reversed())
        #expect(reversed.stdout != byFiles.stdout, "the order of the traces shows in the report")
    }

    @Test func directoryWithoutTracesIsAnInputError() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CLI.run(["report", dir.path])
        #expect(run.status == 2)
        #expect(run.stderr.split(separator: "\n").count == 1 && run.stderr.contains(dir.path), "\(run.stderr)")
    }
}
