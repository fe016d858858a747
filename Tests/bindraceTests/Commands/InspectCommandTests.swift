import Foundation
import Testing

@Suite struct InspectCommandTests {
    @Test func summarisesATrace() throws {
        let dir = try CLI.temporaryDirectory()
        let trace = try SampleTrace.write(to: dir)
        let result = try CLI.run(["inspect", trace.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("events      16 in 4 chunk(s)"))
        #expect(result.stdout.contains("kernel 6.1.0-28-amd64"))
        #expect(result.stdout.contains("not attached: pci_add_dynid (kprobe: not permitted)"))
        #expect(result.stdout.contains("lost        3 events dropped by the kernel (cpu1 3)"))
        #expect(result.stdout.contains("probe_end              1"))
        #expect(result.stderr.isEmpty)
    }

    @Test func jsonIsMachineReadable() throws {
        let dir = try CLI.temporaryDirectory()
        let trace = try SampleTrace.write(to: dir)
        let result = try CLI.run(["inspect", "--format", "json", trace.path])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["events"] as? Int == 16)
        #expect((object?["events_by_kind"] as? [String: Int])?["dynamic_id_added"] == 1)
        #expect(object?["complete"] as? Bool == true)
        #expect((object?["devices"] as? [String]) == ["0000:00:02.0"])
    }

    /// The promise: any prefix of a valid trace exits 0 or 2 with a
    /// precise message, never by a signal, and counts every intact chunk.
    @Test func everyPrefixExitsCleanly() throws {
        let dir = try CLI.temporaryDirectory()
        let bytes = try SampleTrace.binary()
        let prefix = dir.appendingPathComponent("prefix.brt")
        // Every 8th length plus a few odd ones keeps this to a few hundred runs.
        let lengths = Set(stride(from: 0, through: bytes.count, by: 8)).union([1, 31, 33, 63, bytes.count - 1])
        for length in lengths.sorted() {
            try Data(bytes[0..<length]).write(to: prefix)
            let result = try CLI.run(["inspect", "--format", "json", prefix.path])
            #expect(!result.signalled, "length \(length)")
            #expect(result.status == 0 || result.status == 2, "length \(length): \(result.status)")
            for line in result.stderr.split(separator: "\n") {
                #expect(line.hasPrefix("bindrace: \(prefix.path): ") || line.hasPrefix("bindrace: warning: \(prefix.path): "), "length \(length): \(line)")
            }
            if result.status == 2 {
                #expect(result.stderr.contains("offset"), "length \(length): \(result.stderr)")
            }
        }
    }

    @Test func missingAndForeignFilesAreInputErrors() throws {
        let dir = try CLI.temporaryDirectory()
        let missing = try CLI.run(["inspect", dir.appendingPathComponent("nope.brt").path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.brt"))
        let foreign = dir.appendingPathComponent("foreign.brt")
        try Data("#!/bin/sh\necho hello\n".utf8).write(to: foreign)
        let result = try CLI.run(["inspect", foreign.path])
        #expect(result.status == 2)
        #expect(result.stderr == "bindrace: \(foreign.path): offset 0: not a bindrace binary trace (bad magic)\n")
    }

    @Test func controlCharactersFromTracesDoNotReachTheTerminal() throws {
        let dir = try CLI.temporaryDirectory()
        let trace = dir.appendingPathComponent("evil.jsonl")
        try Data("""
            {"format":"bindrace-trace","version":"1.0"}
            {"t":1,"pid":1,"kind":"device_add","device":"0000:00:02.0\\u001b[2J","pci":{"vendor":"8086","device":"100e"}}
            """.utf8).write(to: trace)
        let result = try CLI.run(["inspect", trace.path])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("\u{1b}"))
        #expect(result.stdout.contains("0000:00:02.0\\x1b[2J"))
    }
}
