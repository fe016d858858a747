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
        }
        let base = devpath * Self.kept
        let n = Int(counts.base[devpath])
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
