import ArgumentParser
#if BINDRACE_X86_64_V2
import CBindraceCPU

// Before anything of the replay runs: it is built for x86-64-v2 (Package.swift).
if bindrace_cpu_has_x86_64_v2() == 0 {
    Terminal.writeError("bindrace: this build needs an x86-64-v2 CPU (SSE4.2, POPCNT); build it with BINDRACE_X86_64_BASELINE=1 for this one\n")
    Terminal.exit(.inputError)
}
#endif

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
