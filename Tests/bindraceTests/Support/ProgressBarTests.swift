import Foundation
@testable import bindrace
import Testing

/// The progress bar: what it draws, and that it is drawn on a terminal only
/// and never with --quiet (the executable run under a pseudo-terminal).
@Suite struct ProgressBarTests {
    @Test func lineShowsBarEventsRateAndTimeLeft() {
        let line = ProgressBar.line(label: "bindrace", done: 500_000, total: 1_000_000, seconds: 2)
        #expect(line.hasPrefix("\rbindrace [############------------] "))
        #expect(line.contains("500k events, 250k/s, 2s left"))
        #expect(line.hasSuffix("\u{1B}[K"))
    }

    @Test func lineStaysInRangePastTheEstimate() {
        // The total is estimated from the file size; a trace may hold more.
        let line = ProgressBar.line(label: "b", done: 3_000_000, total: 1_000_000, seconds: 1)
        #expect(line.contains("[########################]"))
        #expect(line.contains("3.0M events, 3.0M/s, 0s left"))
        #expect(ProgressBar.line(label: "b", done: 0, total: 10, seconds: 0).contains("0 events, 0/s, 0s left"))
    }

    @Test func quietMeansNoBar() {
        #expect(ProgressBar.make(total: 100, label: "b", quiet: true) == nil)
    }

    static var hasScript: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/script") }

    @Test(.enabled(if: hasScript, "needs script(1) for a pseudo-terminal"))
    func drawnOnATerminalErasedAtTheEndSilentOtherwise() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let trace = dir.appendingPathComponent("t.brt").path
        let synth = try CLI.run(["synth", "-o", trace, "--events", "20000"])
        try #require(synth.status == 0, "\(synth.stderr)")

        let shown = try Self.onTerminal(["report", "--format", "json", "-o", dir.appendingPathComponent("a.json").path, trace])
        #expect(shown.contains("\rbindrace ["), "\(shown.debugDescription)")
        #expect(shown.contains(" events, ") && shown.contains("/s, ") && shown.contains("s left"))
        #expect(shown.contains("\r\u{1B}[K"), "the bar is erased")

        let quiet = try Self.onTerminal(["report", "--quiet", "--format", "json", "-o", dir.appendingPathComponent("b.json").path, trace])
        #expect(!quiet.contains("s left"), "\(quiet.debugDescription)")

        let piped = try CLI.run(["report", "--format", "json", trace])
        #expect(!piped.stderr.contains("s left"))
        #expect(piped.status == 1, "the synthetic trace has planted races")
    }

    /// What the executable writes to a pseudo-terminal.
    static func onTerminal(_ arguments: [String]) throws -> String {
        let command = ([CLI.executable.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let result = try CLI.runProgram("/usr/bin/script", ["-qec", command, "/dev/null"])
        return result.stdout
    }
}
