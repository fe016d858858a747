import Foundation
import Testing

@Suite struct CheckCommandTests {
    static let race = CLI.repositoryRoot.appendingPathComponent("traces/scenarios/concurrent-modprobe-vfio-e1000.jsonl").path

    func write(_ text: String) throws -> String {
        let url = try CLI.temporaryDirectory().appendingPathComponent("e.yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func aViolatedExpectationExitsOneAndNamesTheRacingEvents() throws {
        let file = try write("version: 1\nexpect:\n  - select: {bdf: \"0000:00:02.0\"}\n    deterministic: true\n")
        let junit = file + ".xml"
        let r = try CLI.run(["check", Self.race, "--expect", file, "--junit", junit])
        #expect(r.status == 1)
        #expect(r.stdout.contains("FAIL 0000:00:02.0"))
        #expect(r.stdout.contains("e.yaml:4"))
        #expect(r.stdout.contains("driver_register e1000"))
        #expect(try String(contentsOfFile: junit, encoding: .utf8).contains("<failure"))
    }

    @Test func holdingExpectationsExitZero() throws {
        let file = try write("expect:\n  - select: {ids: \"8086:100e\"}\n    allow-races: [race-vfio-vs-native]\n    feasible-subset-of: [vfio-pci, e1000]\n")
        let r = try CLI.run(["check", Self.race, "--expect", file, "--format", "json"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("\"passed\" : true"))
    }

    @Test(arguments: [
        "expect:\n  - select: {bdf: \"0000:00:02.0\"}\n    nevr: e1000\n",
        "expect:\n  - select: {class: \"0\"}\n    never: e1000\n",
        "expect:\n  - select: {bdf: \"0000:00:02.0\"\n",
    ])
    func badExpectationFilesAreOneLineAndExitTwo(text: String) throws {
        let file = try write(text)
        let r = try CLI.run(["check", Self.race, "--expect", file])
        #expect(r.status == 2)
        #expect(!r.signalled)
        #expect(r.stderr.hasPrefix("bindrace: \(file):"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func baselineThenCheckPasses() throws {
        let dir = try CLI.temporaryDirectory()
        let out = dir.appendingPathComponent("b.yaml").path
        #expect(try CLI.run(["baseline", Self.race, "-o", out]).status == 0)
        #expect(try CLI.run(["check", "--expect", out]).status == 0)
        #expect(try CLI.run(["baseline", Self.race, "-o", out, "--update"]).status == 0)
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("allow-races: [race-vfio-vs-native]"))
    }

    @Test func diffOfTheSameTraceFindsNothing() throws {
        let r = try CLI.run(["diff", Self.race, Self.race])
        #expect(r.status == 0)
        #expect(r.stdout.contains("0 devices changed"))
        #expect(try CLI.run(["diff", Self.race, "--override", "nonsense"]).status == 2)
    }

    @Test func whatIfSoftdepAndIDsRemoveTheRecordedRace() throws {
        let dir = try CLI.temporaryDirectory()
        try "softdep e1000 pre: vfio-pci\noptions vfio-pci ids=8086:100e\n".write(
            to: dir.appendingPathComponent("vfio.conf"), atomically: true, encoding: .utf8)
        let file = try write("expect:\n  - select: {bdf: \"0000:00:02.0\"}\n    deterministic: true\n    winner: vfio-pci\n")
        #expect(try CLI.run(["check", Self.race, "--expect", file]).status == 1)
        #expect(try CLI.run(["check", Self.race, "--expect", file, "--modprobe-d", dir.path]).status == 0)
        let diff = try CLI.run(["diff", Self.race, "--modprobe-d", dir.path])
        #expect(diff.status == 1)
        #expect(diff.stdout.contains("after:  deterministic"))
    }
}
