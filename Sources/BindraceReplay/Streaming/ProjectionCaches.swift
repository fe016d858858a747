/// Every device's `ProjectionCache`, indexed by device symbol, with their
/// lists in one pool of handles: reading a device's cache touches its
/// entry and one run of the pool, no object and no reference count. A list
/// rewritten goes to the pool's end; the pool is compacted when more than
/// half of it is left behind, so it stays within twice what is live.
struct ProjectionCaches {
    private var entries = PlainBuffer<ProjectionCache>(capacity: 256)
    private var pool = PlainBuffer<Int32>(capacity: 1024)
    private var abandoned = 0
    /// Abandoned handles tolerated before half the pool must be abandoned to compact.
    private let compactAfter: Int

    init(compactAfter: Int = 4096) { self.compactAfter = compactAfter }

    var count: Int { entries.count }

    mutating func append() { entries.append(ProjectionCache()) }

    /// Device `d`'s cache, read and written in place (valid until the next `append`).
    @inline(__always)
    func entry(_ d: Int32) -> UnsafeMutablePointer<ProjectionCache> { entries.base + Int(d) }

    /// `count` handles of `d`'s lists from the `offset`th (they lie in `ProjectionCache.Lengths` order).
    @inline(__always)
    private func list(_ d: Int32, from offset: Int, count: Int32) -> UnsafeBufferPointer<Int32> {
        UnsafeBufferPointer(start: pool.base + entries.base[Int(d)].start + offset, count: Int(count))
    }

    @inline(__always)
    func named(_ d: Int32) -> UnsafeBufferPointer<Int32> {
        list(d, from: 0, count: entries.base[Int(d)].lengths.named)
    }

    @inline(__always)
    func globals(_ d: Int32) -> UnsafeBufferPointer<Int32> {
        let l = entries.base[Int(d)].lengths
        return list(d, from: Int(l.named), count: l.globals)
    }

    @inline(__always)
    func candidates(_ d: Int32) -> UnsafeBufferPointer<Int32> {
        let l = entries.base[Int(d)].lengths
        return list(d, from: Int(l.named) + Int(l.globals), count: l.candidates)
    }

    @inline(__always)
    func missing(_ d: Int32) -> UnsafeBufferPointer<Int32> {
        let l = entries.base[Int(d)].lengths
        return list(d, from: Int(l.named) + Int(l.globals) + Int(l.candidates), count: l.missing)
    }

    @inline(__always)
    func configured(_ d: Int32) -> UnsafeBufferPointer<Int32> {
        let l = entries.base[Int(d)].lengths
        return list(d, from: Int(l.named) + Int(l.globals) + Int(l.candidates) + Int(l.missing), count: l.configured)
    }

    /// Replaces `d`'s lists (the other fields are the caller's to set). The
    /// lists read before are no longer valid.
    mutating func storeLists(_ d: Int32, named: PlainBuffer<Int32>, globals: PlainBuffer<Int32>, candidates: PlainBuffer<Int32>,
                             missing: PlainBuffer<Int32>, configured: PlainBuffer<Int32>) {
        abandoned += entries.base[Int(d)].lengths.total
        entries.base[Int(d)].lengths = ProjectionCache.Lengths()
        if abandoned > compactAfter && abandoned * 2 > pool.count { compact() }
        let lengths = ProjectionCache.Lengths(named: Int32(named.count), globals: Int32(globals.count), candidates: Int32(candidates.count),
                                           missing: Int32(missing.count), configured: Int32(configured.count))
        pool.reserve(pool.count + lengths.total)
        entries.base[Int(d)].start = pool.count
        pool.appendReserved(copying: named.base, count: named.count)
        pool.appendReserved(copying: globals.base, count: globals.count)
        pool.appendReserved(copying: candidates.base, count: candidates.count)
        pool.appendReserved(copying: missing.base, count: missing.count)
        pool.appendReserved(copying: configured.base, count: configured.count)
        entries.base[Int(d)].lengths = lengths
    }

    /// Moves every device's lists to a fresh pool, leaving out what was abandoned.
    private mutating func compact() {
        var live = 0
        for d in 0..<entries.count { live += entries.base[d].lengths.total }
        var fresh = PlainBuffer<Int32>(capacity: max(1024, live * 2))
        for d in 0..<entries.count {
            let n = entries.base[d].lengths.total
            let start = fresh.count
            fresh.appendReserved(copying: pool.base + entries.base[d].start, count: n)
            entries.base[d].start = start
        }
        pool = fresh
        abandoned = 0
    }

    /// Handles held in the pool, live and abandoned (for tests).
    var poolCount: Int { pool.count }
}
