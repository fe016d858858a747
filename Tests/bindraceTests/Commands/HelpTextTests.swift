import Testing

/// Every command's help reads as written: the argument parser wraps each
/// line of a discussion at 80 columns but keeps its line breaks, so a
/// source line of 80 or more leaves a word or two on a line of its own in
/// mid-sentence.
@Suite struct HelpTextTests {
    static let commands = ["inspect", "convert", "report", "export", "synth", "capture", "match", "check", "baseline", "diff", "bench"]

    @Test(arguments: commands)
    func noLineIsBrokenInMidSentence(command: String) throws {
        let r = try CLI.run([command, "--help"])
        #expect(r.status == 0, "\(r.stderr)")
        // The overview and discussion: what comes before the usage line.
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { !$0.hasPrefix("USAGE:") }.map(String.init)
        for (i, line) in lines.enumerated() where i + 1 < lines.count {
            let words = line.split(separator: " ").count
            // A paragraph's last line may be short; a line followed by more of its paragraph may not.
            #expect(words == 0 || words > 2 || lines[i + 1].isEmpty || Self.isListItem(lines[i + 1]),
                    "\(command) --help breaks after \"\(line)\":\n\(r.stdout)")
        }
    }

    /// A line that starts an item of its own (an exit status, a flag, a field).
    static func isListItem(_ line: String) -> Bool {
        let trimmed = line.drop { $0 == " " }
        return trimmed.first.map { $0.isNumber || $0 == "-" || $0 == "*" } == true || line.hasPrefix("  ")
    }
}
