import Foundation
import Testing

@Suite struct ReportHTMLCommandTests {
    static var race: String { CLI.repositoryRoot.appendingPathComponent("traces/scenarios/concurrent-modprobe-vfio-e1000.jsonl").path }

    @Test func htmlReportGoesToTheFile() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("report.html").path
        let r = try CLI.run(["report", "--format", "html", "-o", out, Self.race])
        #expect(r.status == 1, "a vfio-vs-native race is a finding")
        #expect(r.stdout.isEmpty)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("id=\"race-0-0-a\"") && html.contains("href=\"#race-0-0-b\""))
    }

    @Test func hostileTraceFileRendersAsText() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var lines: [String] = []
        for line in try String(contentsOfFile: Self.race, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            lines.append(line
                .replacingOccurrences(of: "\"comm\":\"modprobe\"", with: "\"comm\":\"<script>alert(1)</script>\"")
                .replacingOccurrences(of: "\"driver\":\"e1000\"", with: "\"driver\":\"e1000\\\"><img src=x onerror=alert(2)>\""))
        }
        let trace = dir.appendingPathComponent("<svg onload=alert(3)>.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: trace, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("report.html").path
        let r = try CLI.run(["report", "--format", "html", "-o", out, trace.path])
        #expect(r.status == 1)
        let html = try String(contentsOfFile: out, encoding: .utf8).lowercased()
        #expect(html.components(separatedBy: "<script").count - 1 == 1)
        #expect(!html.contains("<img") && !html.contains("<svg onload"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("e1000&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"))
    }

    @Test func pipedTextHasNoColours() throws {
        // The test runs bindrace with files as stdout: not a terminal.
        let plain = try CLI.run(["report", Self.race])
        #expect(plain.status == 1)
        #expect(plain.stdout.contains("RACE vfio vs native"))
        #expect(!plain.stdout.contains("\u{1b}"))
        let noColor = try CLI.run(["report", Self.race], environment: ["NO_COLOR": "1"])
        #expect(!noColor.stdout.contains("\u{1b}"))
        #expect(noColor.stdout == plain.stdout)
    }

    @Test func unwritableOutputIsAnInputError() throws {
        let r = try CLI.run(["report", "--format", "html", "-o", "/nonexistent-dir/report.html", Self.race])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("bindrace: /nonexistent-dir/report.html: cannot create"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}
