/// Clocks handed from one task to a later event of another, waiting for
/// that event, with a bound on how many wait. A hand-off nobody collects
/// (a bind uevent no udev worker takes, a helper's exit nobody waits for)
/// would otherwise be held for the rest of the trace. The bounds are far
/// above what a kernel keeps in flight (udev's queue, unreaped children);
/// past them the oldest is dropped, and an edge to it is lost.
enum HandOffLimits {
    static let uevents = 1 << 16
    static let exits = 1 << 12
    static let keyed = 1 << 16
}

/// uevents sent and not yet taken by a udev worker, by seqnum. Seqnums grow
/// by one per uevent, so a ring indexed by seqnum holds the recent ones.
struct SeqnumRing {
    private var seqnums: PlainBuffer<UInt64>
    /// -2: empty.
    private var rows: PlainBuffer<Int32>
    private let mask: Int

    init(capacity: Int = HandOffLimits.uevents) {
        seqnums = PlainBuffer(repeating: 0, count: capacity)
        rows = PlainBuffer(repeating: -2, count: capacity)
        mask = capacity - 1
    }

    /// Stores `row` (a reference the ring now holds); returns a row it drops.
    @inline(__always)
    mutating func insert(_ seqnum: UInt64, _ row: Int32) -> Int32? {
        let i = Int(truncatingIfNeeded: seqnum) & mask
        let old = rows.base[i]
        seqnums.base[i] = seqnum
        rows.base[i] = row
        return old != -2 ? old : nil
    }

    @inline(__always)
    mutating func remove(_ seqnum: UInt64) -> Int32? {
        let i = Int(truncatingIfNeeded: seqnum) & mask
        let row = rows.base[i]
        guard row != -2, seqnums.base[i] == seqnum else { return nil }
        rows.base[i] = -2
        return row
    }
}

/// A map from keys to held rows that forgets its oldest entries past a bound.
struct BoundedRowMap<Key: Hashable> {
    private var entries: [Key: (row: Int32, generation: Int)] = [:]
    /// Keys in insertion order with the generation they were inserted at;
    /// an entry whose key was removed or inserted again since is stale.
    private var order: [(key: Key, generation: Int)] = []
    private var head = 0
    private var generation = 0
    let limit: Int

    init(limit: Int) { self.limit = limit }

    var count: Int { entries.count }

    var rows: [(key: Key, row: Int32)] { entries.map { ($0.key, $0.value.row) } }

    /// Inserts a row for a key not in the map; returns rows evicted to stay in bounds.
    mutating func insert(_ key: Key, _ row: Int32) -> [Int32] {
        var dropped: [Int32] = []
        if let old = entries[key] { dropped.append(old.row) }
        generation += 1
        entries[key] = (row, generation)
        order.append((key, generation))
        while entries.count > limit, head < order.count {
            let oldest = order[head]
            head += 1
            if let e = entries[oldest.key], e.generation == oldest.generation {
                entries[oldest.key] = nil
                dropped.append(e.row)
            }
        }
        if head > 4096 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
        return dropped
    }

    /// Takes the row out (the caller now holds its reference).
    mutating func remove(_ key: Key) -> Int32? { entries.removeValue(forKey: key)?.row }
}

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
    private var held = InsertionOrder()
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
        arena.join(&joined.base[devpath], row)
        maxSeqnums.base[devpath] = max(maxSeqnums.base[devpath], seqnum)
    }

    /// Forgets the devpaths finished longest ago past the limit, giving back their rows.
    mutating func trim(arena: inout ClockArena) {
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

/// Exits waiting for a wait, by pid: a flat table for the usual pid range
/// (a dictionary beyond it), forgetting the oldest past a bound.
struct PidRowMap {
    static let flatLimit: UInt32 = 1 << 22
    /// Per pid: the held row, -1 none; and the insertion that put it there.
    private var rows = PlainBuffer<Int32>(capacity: 1 << 12)
    private var generations = PlainBuffer<UInt32>(capacity: 1 << 12)
    private var far = BoundedRowMap<UInt32>(limit: HandOffLimits.exits)
    private var order = InsertionOrder()
    private var generation: UInt32 = 0
    private(set) var count = 0
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Takes the row out (the caller now holds its reference).
    @inline(__always)
    mutating func remove(_ pid: UInt32) -> Int32? {
        guard pid < Self.flatLimit else { return far.remove(pid) }
        let p = Int(pid)
        guard p < rows.count, rows.base[p] >= 0 else { return nil }
        let row = rows.base[p]
        rows.base[p] = -1
        count -= 1
        return row
    }

    /// Holds `row` for a pid not in the map; returns rows evicted to stay in bounds.
    mutating func insert(_ pid: UInt32, _ row: Int32, evicted: (Int32) -> Void) {
        guard pid < Self.flatLimit else {
            for r in far.insert(pid, row) { evicted(r) }
            return
        }
        let p = Int(pid)
        if p >= rows.count {
            let n = max(p + 1, rows.count * 2, 1024)
            rows.extend(to: n, with: -1)
            generations.extend(to: n, with: 0)
        }
        if rows.base[p] >= 0 {
            evicted(rows.base[p])
            count -= 1
        }
        generation &+= 1
        rows.base[p] = row
        generations.base[p] = generation
        count += 1
        order.append(pid, generation)
        while count > limit, let oldest = order.popOldest() {
            let q = Int(oldest.key)
            if rows.base[q] >= 0 && generations.base[q] == oldest.generation {
                evicted(rows.base[q])
                rows.base[q] = -1
                count -= 1
            }
        }
    }
}

/// Keys in the order they were put in a table, each with the generation
/// that put it there: an entry whose key was taken out or put in again
/// since is stale, and whoever pops it checks the generation.
struct InsertionOrder {
    private var entries = PlainBuffer<(key: UInt32, generation: UInt32)>(capacity: 1 << 12)
    private var head = 0

    mutating func append(_ key: UInt32, _ generation: UInt32) {
        entries.append((key, generation))
    }

    mutating func popOldest() -> (key: UInt32, generation: UInt32)? {
        guard head < entries.count else { return nil }
        let oldest = entries.base[head]
        head += 1
        if head > 4096 && head * 2 > entries.count {
            // Keep the queue short: move what is left to the front.
            var kept = PlainBuffer<(key: UInt32, generation: UInt32)>(capacity: entries.count - head + 16)
            for k in head..<entries.count { kept.append(entries.base[k]) }
            entries = kept
            head = 0
        }
        return oldest
    }
}
