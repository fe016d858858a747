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

    /// Lets the kernel drop the file's pages in `start..<end` from this
    /// process (`PageDiscarder` says when): they are read again from the
    /// page cache, or the file, if touched again. `start` must be page aligned.
    func discard(from start: Int, to end: Int) {
        guard start >= 0, end > start, end <= bytes.count else { return }
        let base = UnsafeMutableRawPointer(mutating: bytes.baseAddress!) + start
        _ = madvise(base, end - start, MADV_DONTNEED)
    }

    /// Maps the file's pages in `start..<end` into the process now, in one
    /// call instead of a fault every few pages (`PagesAhead` says when);
    /// false where the kernel cannot (before Linux 5.14, or not Linux).
    /// `start` must be page aligned.
    func populate(from start: Int, to end: Int) -> Bool {
        guard start >= 0, end > start, end <= bytes.count else { return true }
        #if os(Linux)
        let base = UnsafeMutableRawPointer(mutating: bytes.baseAddress!) + start
        return madvise(base, end - start, MADV_POPULATE_READ) == 0 || errno != EINVAL
        #else
        return false
        #endif
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
    }
}
