#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's standard streams and exit, by file descriptor (Swift 6 does
/// not allow the C `stdout`/`stderr` globals).
enum Terminal {
    static func writeOut(_ text: String) { write(fd: 1, text) }
    static func writeError(_ text: String) { write(fd: 2, text) }

    static func isTerminal(fd: Int32) -> Bool { isatty(fd) == 1 }

    static func write(fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buffer in
                Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
    }

    static func exit(_ status: ExitStatus) -> Never {
        Glibc.exit(status.rawValue)
    }
}
