import BindraceTrace

/// One line per diagnostic on stderr, each naming the file.
enum DiagnosticPrinter {
    static func print(_ diagnostics: [TraceDiagnostic], file: String) {
        for diagnostic in diagnostics {
            let prefix = diagnostic.severity == .warning ? "bindrace: warning: " : "bindrace: "
            Terminal.writeError(prefix + diagnostic.rendered(file: file).terminalSafe + "\n")
        }
    }

    static func fail(_ failure: InputFailure) -> CommandFailure {
        Terminal.writeError("bindrace: " + failure.message.terminalSafe + "\n")
        return CommandFailure(status: .inputError)
    }

    static func fail(_ error: TraceError, file: String) -> CommandFailure {
        fail(InputFailure(error.rendered(file: file)))
    }
}
