import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The real-kernel stage (Tests/VM/run-all: QEMU boots of Debian's 6.1
/// kernel, about 3-4 minutes) as part of `swift test`, when asked for:
///
///     BINDRACE_VM_TESTS=1 swift test --filter VMStage
@Suite("VM stage")
struct VMStageTests {
    static let enabled = getenv("BINDRACE_VM_TESTS") != nil

    @Test("every scenario under Tests/VM/scenarios passes on the real kernel",
          .enabled(if: enabled, "set BINDRACE_VM_TESTS=1 to boot the real kernel under QEMU"),
          .timeLimit(.minutes(25)))
    func runAll() throws {
        // Tests/BindraceCaptureTests/VMStageTests.swift -> repository root.
        let file = String(#filePath)
        let root = String(file.split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/"))
        let script = root + "/Tests/VM/run-all"
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(script), nil]
        defer { argv.forEach { free($0) } }
        try #require(posix_spawn(&pid, script, nil, nil, argv, environ) == 0, "cannot run \(script)")
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        #expect(status == 0, "Tests/VM/run-all failed (wait status \(status)); its output says which scenario")
    }
}
