import BindraceTrace
import SystemPackage

/// A trace file (or standard input) as a byte source.
struct FileByteSource: ByteSource {
    let descriptor: FileDescriptor

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try descriptor.read(into: buffer, retryOnInterrupt: true)
    }
}

/// An output file (or standard output) as a byte sink; every chunk goes
/// straight to the kernel, so a killed process leaves whole chunks.
struct FileByteSink: ByteSink {
    let descriptor: FileDescriptor

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        _ = try descriptor.writeAll(bytes)
    }
}
