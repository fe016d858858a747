import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The built `bindrace` next to the test bundle, run as an unprivileged user
/// (setpriv): one line on stderr, exit 2, no output file.
@Suite("bindrace capture without privileges")
struct CaptureCommandTests {
    static var binary: String? {
        let dir = String(CommandLine.arguments[0].split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/"))
        for candidate in [dir + "/bindrace", dir + "/../bindrace"] where access(candidate, X_OK) == 0 { return candidate }
        return nil
    }

    static let runnable = geteuid() == 0 && binary != nil && access("/usr/bin/setpriv", X_OK) == 0

    @Test("refuses in one line with exit status 2",
          .enabled(if: runnable, "needs root (to drop to nobody with setpriv) and the built bindrace binary"))
    func refuses() throws {
        let binary = try #require(Self.binary)
        let output = "/tmp/bindrace-capture-test-\(getpid()).brt"
        var pipeFDs: [Int32] = [0, 0]
        try #require(pipe(&pipeFDs) == 0)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 2)
        posix_spawn_file_actions_addclose(&actions, pipeFDs[0])
        let args = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                    binary, "capture", "-o", output, "--duration", "1"]
        let argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        try #require(posix_spawn(&pid, args[0], &actions, nil, argv, environ) == 0)
        posix_spawn_file_actions_destroy(&actions)
        close(pipeFDs[1])
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(pipeFDs[0], &buffer, buffer.count)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        close(pipeFDs[0])
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let stderr = String(decoding: bytes, as: UTF8.self)
        #expect((status >> 8) & 0xFF == 2)
        #expect(stderr.split(separator: "\n").count == 1)
        #expect(stderr.hasPrefix("bindrace: capture needs CAP_BPF and CAP_PERFMON, or root"))
        #expect(access(output, F_OK) != 0)
    }
}
