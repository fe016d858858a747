import ArgumentParser

// A custom entry point: argument-parser's own exits with 64 on usage errors,
// and bindrace promises 2 for every usage or input error.
do {
    var command = try Bindrace.parseAsRoot()
    try command.run()
    Terminal.exit(.ok)
} catch let failure as CommandFailure {
    Terminal.exit(failure.status)
} catch {
    let code = Bindrace.exitCode(for: error)
    if code == .success {
        // --help, --version: argument-parser's text on stdout.
        Terminal.writeOut(Bindrace.fullMessage(for: error) + "\n")
        Terminal.exit(.ok)
    }
    let message = Bindrace.message(for: error)
    if message.isEmpty {
        Terminal.exit(code == .validationFailure ? .inputError : ExitStatus(rawValue: code.rawValue) ?? .inputError)
    }
    Terminal.writeError("bindrace: \(message.split(separator: "\n").first ?? "")\n")
    if code == .validationFailure {
        Terminal.writeError("Usage: see 'bindrace --help' or 'bindrace help COMMAND'\n")
    }
    Terminal.exit(.inputError)
}
