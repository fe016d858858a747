import Testing

@Suite struct ExitStatusTests {
    @Test(arguments: [["--help"], ["inspect", "--help"], ["convert", "--help"], ["--version"]])
    func helpSucceeds(arguments: [String]) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 0)
        #expect(!result.stdout.isEmpty)
    }

    @Test(arguments: [["inspect"], ["convert", "only-one.brt"], ["inspect", "--bogus", "x.brt"], ["no-such-command"], ["inspect", "--format", "xml", "x.brt"]])
    func usageErrorsExitTwo(arguments: [String]) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("bindrace: "))
    }

    @Test func helpListsTheExitCodes() throws {
        let result = try CLI.run(["--help"])
        #expect(result.stdout.contains("2  usage or input error"))
    }
}
