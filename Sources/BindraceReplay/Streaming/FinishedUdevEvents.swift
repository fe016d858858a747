/// Finished udev events per devpath (by string id): the latest few, oldest
/// first, as the baseline keeps them (`HappensBeforeTracker.udevFinishedKept`).
struct FinishedUdevEvents {
    static let kept = 4
    private var counts = PlainBuffer<UInt8>(capacity: 256)
    private var seqnums = PlainBuffer<UInt64>(capacity: 1024)
    private var rows = PlainBuffer<Int32>(capacity: 1024)
    /// Per devpath: the join of every finished event's end, and the highest seqnum.
    private var joined = PlainBuffer<Int32>(capacity: 256)
    private var maxSeqnums = PlainBuffer<UInt64>(capacity: 256)
    /// Devpaths holding finished events, oldest first finished (with the
    /// generation that put them there): past `devpathLimit` the oldest is
    /// forgotten, so a trace with endless hotplugged devices keeps only the
    /// recent ones (a device's events are serialized by the time it is long gone).
    private var held = InsertionOrder<UInt32>()
    private var heldCount = 0
    private var generations = PlainBuffer<UInt32>(capacity: 256)
    private var generation: UInt32 = 0
    static let devpathLimit = 8192

    /// The join of all finished events of `devpath` when `seqnum` comes
    /// after every one of them (-1: none, or use the kept ones one by one).
    @inline(__always)
    func joinedBefore(_ devpath: Int, _ seqnum: UInt64) -> Int32? {
        guard devpath < counts.count, counts.base[devpath] > 0, seqnum > maxSeqnums.base[devpath] else { return nil }
        return joined.base[devpath]
    }

    /// Folds a finished event's end into the devpath's join.
    mutating func join(_ devpath: Int, _ seqnum: UInt64, _ row: Int32, arena: inout ClockArena) {
        arena.fold(&joined.base[devpath], row)
        maxSeqnums.base[devpath] = max(maxSeqnums.base[devpath], seqnum)
    }

    /// Forgets the devpaths finished longest ago past the limit, giving back
    /// their rows. Asked at every finished event, over the limit seldom.
    @inline(__always)
    mutating func trim(arena: inout ClockArena) {
        if heldCount > Self.devpathLimit { forgetOldest(arena: &arena) }
    }

    private mutating func forgetOldest(arena: inout ClockArena) {
        while heldCount > Self.devpathLimit, let oldest = held.popOldest() {
            let d = Int(oldest.key)
            guard counts.base[d] > 0, generations.base[d] == oldest.generation else { continue }
            for k in 0..<Int(counts.base[d]) { arena.release(rows.base[d * Self.kept + k]) }
            arena.release(joined.base[d])
            joined.base[d] = -1
            maxSeqnums.base[d] = 0
            counts.base[d] = 0
            heldCount -= 1
        }
    }

    @inline(__always)
    func count(_ devpath: Int) -> Int { devpath < counts.count ? Int(counts.base[devpath]) : 0 }

    @inline(__always)
    func seqnum(_ devpath: Int, _ k: Int) -> UInt64 { seqnums.base[devpath * Self.kept + k] }

    @inline(__always)
    func row(_ devpath: Int, _ k: Int) -> Int32 { rows.base[devpath * Self.kept + k] }

    /// Appends, returning the row pushed out when full.
    mutating func append(_ devpath: Int, _ seqnum: UInt64, _ row: Int32) -> Int32? {
        if devpath >= counts.count {
            let n = max(devpath + 1, counts.count * 2)
            counts.extend(to: n, with: 0)
            seqnums.extend(to: n * Self.kept, with: 0)
            rows.extend(to: n * Self.kept, with: -1)
            joined.extend(to: n, with: -1)
            maxSeqnums.extend(to: n, with: 0)
            generations.extend(to: n, with: 0)
        }
        let base = devpath * Self.kept
        let n = Int(counts.base[devpath])
        if n == 0 {
            generation &+= 1
            generations.base[devpath] = generation
            held.append(UInt32(devpath), generation)
            heldCount += 1
        }
        if n < Self.kept {
            seqnums.base[base + n] = seqnum
            rows.base[base + n] = row
            counts.base[devpath] = UInt8(n + 1)
            return nil
        }
        let dropped = rows.base[base]
        for k in 0..<(Self.kept - 1) {
            seqnums.base[base + k] = seqnums.base[base + k + 1]
            rows.base[base + k] = rows.base[base + k + 1]
        }
        seqnums.base[base + Self.kept - 1] = seqnum
        rows.base[base + Self.kept - 1] = row
        return dropped
    }
}
