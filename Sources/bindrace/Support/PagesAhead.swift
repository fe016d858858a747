/// Maps the pages of a mapped trace ahead of the reader, a window at a
/// time: on the reading thread when they are not mapped yet, and further
/// ahead by a thread that would otherwise wait (`mapAhead`).
///
/// The clock stage asks for the next chunk's lines while it works on the
/// current one (a prefetch hint), so that the next chunk's checksum reads
/// them from the caches rather than from memory. A prefetch to a page that
/// is not mapped yet is dropped, and the pages of a mapped file are mapped
/// only when first touched, a few at a time: without this the hints did
/// nothing. The kernel's work is the same as the faults it spares, and it
/// fell on the reader's thread, which bounds the stream (about 6% of its
/// samples on the 100M-event trace); the step stage's thread, when it
/// waits, now maps them first, as it verifies checksums ahead
/// (`ChecksumsAhead`), which then read mapped pages instead of faulting.
///
/// Ranges are claimed under a lock and mapped outside it, so the two
/// threads never map the same pages and never wait on each other's call.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class PagesAhead: @unchecked Sendable {
    /// Pages are mapped this far ahead at a time: one call every
    /// few chunks, and little of the file resident ahead of the reader.
    static let window = 1 << 20
    /// How far ahead of the reader a waiting thread maps: past the
    /// checksums verified ahead (`ChecksumsAhead`'s window, 4 MB), so that
    /// those read mapped pages.
    static let idleReach = 8 << 20
    private let populate: (_ start: Int, _ end: Int) -> Bool
    private let length: Int
    private let pageSize: Int
    private let monitor = Monitor()
    /// Pages before this offset are mapped, or claimed to be.
    private var mapped = 0
    /// Where the reader is.
    private var reader = 0
    /// False once the kernel said it cannot (the faults then do as before).
    private var able = true

    /// `populate(start, end)` maps the file's bytes in `start..<end` and
    /// says whether the kernel can; `length` is the file's.
    init(length: Int, pageSize: Int, populate: @escaping (_ start: Int, _ end: Int) -> Bool) {
        self.length = length
        self.pageSize = max(1, pageSize)
        self.populate = populate
    }

    convenience init(_ file: MappedFile) {
        self.init(length: file.bytes.count, pageSize: Int(sysconf(Int32(_SC_PAGESIZE)))) { file.populate(from: $0, to: $1) }
    }

    /// The reader is at the events chunk at `offset`, whose records take
    /// `bytes`: maps what is missing up to the end of the next chunk (taken
    /// to be as long, with a strings chunk before it), a window at least.
    func reach(chunkAt offset: Int, bytes: Int) {
        let through = offset + 2 * bytes + Self.slack
        let claimed: (Int, Int)? = monitor.withLock {
            reader = max(reader, offset)
            guard able, through > mapped, mapped < length else { return nil }
            // Aligned down: `madvise` takes whole pages from a page boundary.
            let start = max(mapped, offset) / pageSize * pageSize
            let end = min(length, max(through, start + Self.window))
            mapped = end
            return (start, end)
        }
        if let (start, end) = claimed { map(start, end) }
    }

    /// Maps the next window if it lies within `idleReach` of the reader;
    /// false when there was nothing to do (the caller may wait).
    @discardableResult
    func mapAhead() -> Bool {
        let claimed: (Int, Int)? = monitor.withLock {
            guard able, mapped < length, mapped < reader + Self.idleReach else { return nil }
            let start = mapped / pageSize * pageSize
            let end = min(length, start + Self.window)
            mapped = end
            return (start, end)
        }
        guard let (start, end) = claimed else { return false }
        map(start, end)
        return true
    }

    private func map(_ start: Int, _ end: Int) {
        guard !populate(start, end) else { return }
        monitor.withLock { able = false }
    }

    /// Headers and a strings chunk between one events chunk and the next.
    static let slack = 4096
}
