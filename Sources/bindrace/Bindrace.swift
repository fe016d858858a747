import ArgumentParser

/// The command tree. Each subcommand lives in Commands/ in a file of its own.
struct Bindrace: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bindrace",
        abstract: "Find out whether vfio-pci or a native driver wins each PCI device, and whether that is deterministic.",
        discussion: """
            Exit status, for every command:
              0  success, nothing to report
              1  findings: a vfio-vs-native race, or a violated expectation
              2  usage or input error (the message names the file and the offset or line)
            """,
        version: BindraceVersion.current,
        subcommands: [
            InspectCommand.self,
            ConvertCommand.self,
            ReportCommand.self,
            ExportCommand.self,
            SynthCommand.self,
            CaptureCommand.self,
            MatchCommand.self,
            CheckCommand.self,
            BaselineCommand.self,
            DiffCommand.self,
            BenchCommand.self,
        ]
    )
}
