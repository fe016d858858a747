import Foundation
import Testing

@Suite struct ExportCommandTests {
    @Test func chromeTraceIsTraceEventJSON() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("race.json").path
        let r = try CLI.run(["export", "--format", "chrome-trace", ReportHTMLCommandTests.race, "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out)))
        let events = try #require((object as? [String: Any])?["traceEvents"] as? [[String: Any]])
        #expect(events.contains { $0["ph"] as? String == "B" })
        #expect(events.contains { $0["ph"] as? String == "s" })
        #expect(events.filter { $0["cat"] as? String == "race" }.count == 2)
    }

    @Test func toStandardOutput() throws {
        let r = try CLI.run(["export", "--format", "chrome-trace", ReportHTMLCommandTests.race, "-o", "-"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("{\"traceEvents\":["))
    }

    @Test func missingTraceIsAnInputError() throws {
        let r = try CLI.run(["export", "--format", "chrome-trace", "/nonexistent.jsonl", "-o", "-"])
        #expect(r.status == 2)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains("/nonexistent.jsonl"))
    }

    @Test func unknownFormatIsAUsageError() throws {
        let r = try CLI.run(["export", "--format", "svg", ReportHTMLCommandTests.race, "-o", "-"])
        #expect(r.status == 2)
    }
}
