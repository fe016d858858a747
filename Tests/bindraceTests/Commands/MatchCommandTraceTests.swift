import Foundation
import Testing

/// `bindrace match --trace`: the candidate modules come from the snapshot the
/// capture stored, so a trace from another machine answers offline.
@Suite struct MatchCommandTraceTests {
    @Test func candidatesComeFromTheTraceSnapshot() throws {
        let trace = CLI.repositoryRoot.appendingPathComponent("traces/scenarios/concurrent-modprobe-vfio-e1000.jsonl")
        let result = try CLI.run(["match", "--trace", trace.path, "--format", "tsv"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "pci:v00008086d0000100Esv00008086sd0000001Ebc02sc00i00\te1000\n")
    }

    @Test func aTraceWithoutSnapshotIsAnInputError() throws {
        let dir = try CLI.temporaryDirectory()
        let trace = dir.appendingPathComponent("bare.jsonl")
        try Data(#"{"format":"bindrace-trace","version":"1.0"}"#.utf8).write(to: trace)
        let result = try CLI.run(["match", "--trace", trace.path])
        #expect(result.status == 2)
        #expect(result.stderr == "bindrace: \(trace.path): the trace holds no snapshot, so it has no match tables to use\n")
    }
}
