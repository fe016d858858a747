import Foundation
import Testing

@Suite struct ConvertCommandTests {
    @Test func binaryToJSONLToBinaryIsByteIdentical() throws {
        let dir = try CLI.temporaryDirectory()
        let original = try SampleTrace.write(to: dir, name: "a.brt")
        let jsonl = dir.appendingPathComponent("a.jsonl").path
        let back = dir.appendingPathComponent("b.brt").path
        #expect(try CLI.run(["convert", original.path, jsonl]).status == 0)
        #expect(try CLI.run(["convert", jsonl, back]).status == 0)
        #expect(try Data(contentsOf: original) == Data(contentsOf: URL(fileURLWithPath: back)))
    }

    /// Every bundled trace survives the round trip byte for byte.
    @Test func everyBundledTraceRoundTrips() throws {
        let traces = CLI.repositoryRoot.appendingPathComponent("traces")
        let files = (FileManager.default.enumerator(at: traces, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
            .filter { ["brt", "jsonl"].contains($0.pathExtension) && !$0.lastPathComponent.contains(".expected.") }
        #expect(!files.isEmpty, "no traces in traces/")
        let dir = try CLI.temporaryDirectory()
        for file in files {
            let a = dir.appendingPathComponent("a.brt").path
            let j = dir.appendingPathComponent("a.jsonl").path
            let b = dir.appendingPathComponent("b.brt").path
            var start = a
            if file.pathExtension == "jsonl" {
                let toBinary = try CLI.run(["convert", file.path, a])
                #expect(toBinary.status == 0, "\(file.lastPathComponent): \(toBinary.stderr)")
            } else {
                start = file.path
            }
            #expect(try CLI.run(["convert", start, j]).status == 0, "\(file.lastPathComponent)")
            #expect(try CLI.run(["convert", j, b]).status == 0, "\(file.lastPathComponent)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: start)) == Data(contentsOf: URL(fileURLWithPath: b)), "\(file.lastPathComponent)")
        }
    }

    @Test func damagedInputIsSalvagedWithExitTwo() throws {
        let dir = try CLI.temporaryDirectory()
        let bytes = try SampleTrace.binary()
        let cut = dir.appendingPathComponent("cut.brt")
        try Data(bytes[0..<(bytes.count - 40)]).write(to: cut)
        let out = dir.appendingPathComponent("salvaged.jsonl")
        let result = try CLI.run(["convert", cut.path, out.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(cut.path): offset"))
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= 1 + 1 + 12)  // header, snapshot, the intact chunks' events
    }

    @Test func unknownOutputFormIsAUsageError() throws {
        let result = try CLI.run(["convert", "in.brt", "out.txt"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("out.txt"))
    }

    @Test func outputSymlinkIsNotFollowed() throws {
        let dir = try CLI.temporaryDirectory()
        let trace = try SampleTrace.write(to: dir)
        let victim = dir.appendingPathComponent("victim")
        try Data("keep me".utf8).write(to: victim)
        let link = dir.appendingPathComponent("out.jsonl")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: victim)
        let result = try CLI.run(["convert", trace.path, link.path])
        #expect(result.status == 2)
        #expect(try String(contentsOf: victim, encoding: .utf8) == "keep me")
    }
}
