/// Maps the pages of a mapped trace ahead of the reader, a window at a
/// time, on the reading thread.
///
/// The clock stage asks for the next chunk's lines while it works on the
/// current one (a prefetch hint), so that the next chunk's checksum reads
/// them from the caches rather than from memory. A prefetch to a page that
/// is not mapped yet is dropped, and the pages of a mapped file are mapped
/// only when first touched, a few at a time: without this the hints did
/// nothing. The kernel's work is the same as the faults it spares.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct PagesAhead {
    /// Pages are mapped this far ahead at a time: one call every
    /// few chunks, and little of the file resident ahead of the reader.
    static let window = 1 << 20
    private let populate: (_ start: Int, _ end: Int) -> Bool
    private let length: Int
    private let pageSize: Int
    /// Pages before this offset are mapped, or were asked for.
    private var mapped = 0
    /// False once the kernel said it cannot (the faults then do as before).
    private var able = true

    /// `populate(start, end)` maps the file's bytes in `start..<end` and
    /// says whether the kernel can; `length` is the file's.
    init(length: Int, pageSize: Int, populate: @escaping (_ start: Int, _ end: Int) -> Bool) {
        self.length = length
        self.pageSize = max(1, pageSize)
        self.populate = populate
    }

    init(_ file: MappedFile) {
        self.init(length: file.bytes.count, pageSize: Int(sysconf(Int32(_SC_PAGESIZE)))) { file.populate(from: $0, to: $1) }
    }

    /// The reader is at the events chunk at `offset`, whose records take
    /// `bytes`: maps what is missing up to the end of the next chunk (taken
    /// to be as long, with a strings chunk before it), a window at least.
    mutating func reach(chunkAt offset: Int, bytes: Int) {
        reach(offset, through: offset + 2 * bytes + Self.slack)
    }

    /// The reader is at `offset` and will read up to `through`.
    private mutating func reach(_ offset: Int, through: Int) {
        guard able, through > mapped, mapped < length else { return }
        // Aligned down: `madvise` takes whole pages from a page boundary.
        let start = max(mapped, offset) / pageSize * pageSize
        let end = min(length, max(through, start + Self.window))
        able = populate(start, end)
        mapped = end
    }

    /// Headers and a strings chunk between one events chunk and the next.
    static let slack = 4096
}
