#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file mapped read-only, so a trace is read in place instead of
/// being copied through `read`. Anything else (a pipe, a device, an empty
/// file) or a failure gives nil, and the caller streams the file instead.
///
/// The mapping shows the file as it is on disk: a file truncated by another
/// process while mapped faults on access, which is why only files that are
/// not being written (finished traces) should be mapped.
final class MappedFile {
    /// The whole file; valid while this object lives.
    let bytes: UnsafeRawBufferPointer

    init?(path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        // The mapping holds its own reference to the file.
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size > 0,
              let length = Int(exactly: status.st_size) else { return nil }
        guard let base = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED else { return nil }
        // Traces are read front to back once: read ahead aggressively.
        _ = madvise(base, length, MADV_SEQUENTIAL)
        bytes = UnsafeRawBufferPointer(start: base, count: length)
    }

    /// Bytes before this offset were let go (`discard`).
    private var discarded = 0

    /// Lets the kernel drop the pages before `offset` from this process:
    /// a trace is read once, front to back, and keeping what was read
    /// resident would make the process's memory grow with the trace. In
    /// steps of 16 MB: steps of 64 MB kept 48 MB more of the file resident
    /// (peak RSS 94 MB against 46 MB on a race-free 100M-event trace), and
    /// the extra calls did not show in the time.
    func discard(before offset: Int) {
        let page = 1 << 21
        let end = offset & ~(page - 1)
        guard end - discarded >= 16 << 20 else { return }
        let base = UnsafeMutableRawPointer(mutating: bytes.baseAddress!) + discarded
        _ = madvise(base, end - discarded, MADV_DONTNEED)
        discarded = end
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
    }
}
