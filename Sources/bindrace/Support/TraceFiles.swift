import BindraceTrace
import SystemPackage

/// Opening trace files: the executable's side of the library's byte streams.
enum TraceFiles {
    /// Opens `path` ("-" for standard input) as a trace, choosing the form by
    /// `encoding`, else by extension, else by its first bytes.
    static func open(_ path: String, encoding: TraceEncoding? = nil) throws(InputFailure) -> TraceInput<FileByteSource> {
        let descriptor: FileDescriptor
        if path == "-" {
            descriptor = .standardInput
        } else {
            do {
                descriptor = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
            } catch {
                throw InputFailure("\(path): cannot open: \(error)")
            }
        }
        var chosen = encoding ?? TraceEncoding(path: path)
        var source = FileByteSource(descriptor: descriptor)
        if chosen == nil {
            // No telling extension: sniff the magic, then replay those bytes.
            var prefix = [UInt8](repeating: 0, count: TraceFormat.magic.count)
            let n = (try? prefix.withUnsafeMutableBytes { try source.read(into: $0) }) ?? 0
            chosen = TraceEncoding(sniffing: prefix[0..<n])
            if path != "-" {
                _ = try? descriptor.seek(offset: 0, from: .start)
            } else {
                throw InputFailure("-: give --format for standard input")
            }
        }
        do {
            return try TraceInput(source: source, encoding: chosen!)
        } catch {
            throw InputFailure(error.rendered(file: path))
        }
    }

    /// `open`, for a command: a failure is printed as its one line and
    /// becomes exit status 2.
    static func openForCommand(_ path: String, encoding: TraceEncoding? = nil) throws(CommandFailure) -> TraceInput<FileByteSource> {
        do {
            return try open(path, encoding: encoding)
        } catch {
            throw DiagnosticPrinter.fail(error)
        }
    }

    /// Creates (or truncates) an output file; never follows a symlink at `path`.
    static func create(_ path: String) throws(InputFailure) -> FileByteSink {
        if path == "-" { return FileByteSink(descriptor: .standardOutput) }
        do {
            let fd = try FileDescriptor.open(
                FilePath(path), .writeOnly, options: [.create, .truncate, .noFollow, .closeOnExec],
                permissions: [.ownerReadWrite, .groupRead, .otherRead])
            return FileByteSink(descriptor: fd)
        } catch {
            throw InputFailure("\(path): cannot create: \(error)")
        }
    }
}

/// An input or usage problem, already phrased as the one line to print.
struct InputFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
