import Testing

@Suite struct CompletionScriptTests {
    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptIsGenerated(shell: String) throws {
        let r = try CLI.run(["--generate-completion-script", shell])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("bindrace"))
        // Subcommands and their options come from the command definitions.
        #expect(r.stdout.contains("report"))
        #expect(r.stdout.contains("export"))
        #expect(r.stdout.contains("chrome-trace"))
    }

    @Test func bashScriptDefinesTheCompletionFunction() throws {
        let r = try CLI.run(["--generate-completion-script", "bash"])
        #expect(r.stdout.contains("complete -o filenames -F _bindrace bindrace") || r.stdout.contains("-F _bindrace"))
    }

    @Test func htmlIsAReportFormat() throws {
        let r = try CLI.run(["report", "--help"])
        #expect(r.stdout.contains("html"))
        #expect(r.stdout.contains("--output"))
    }
}
