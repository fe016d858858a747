/// bindrace's exit codes, the same for every command (README and --help list them).
enum ExitStatus: Int32 {
    /// Success, nothing to report.
    case ok = 0
    /// Findings: a vfio-vs-native race, or an expectation that does not hold.
    case findings = 1
    /// Usage or input error.
    case inputError = 2
}

/// Thrown by a command that has already told the user why it stops.
struct CommandFailure: Error {
    var status: ExitStatus
}
