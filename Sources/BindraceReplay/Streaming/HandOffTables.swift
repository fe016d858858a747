/// Clocks handed from one task to a later event of another, waiting for
/// that event, with a bound on how many wait. A hand-off nobody collects
/// (a bind uevent no udev worker takes, a helper's exit nobody waits for)
/// would otherwise be held for the rest of the trace. The bounds are far
/// above what a kernel keeps in flight (udev's queue, unreaped children);
/// past them the oldest is dropped, and an edge to it is lost.
enum HandOffLimits {
    static let uevents = 1 << 16
    static let exits = 1 << 16
    static let keyed = 1 << 16
}

/// uevents sent and not yet taken by a udev worker, by seqnum. Seqnums grow
/// by one per uevent, so a ring indexed by seqnum holds the recent ones.
struct SeqnumRing {
    private var seqnums: [UInt64]
    private var rows: [Int32]
    private let mask: Int

    init(capacity: Int = HandOffLimits.uevents) {
        seqnums = Array(repeating: 0, count: capacity)
        rows = Array(repeating: -2, count: capacity)
        mask = capacity - 1
    }

    /// Stores `row` (a reference the ring now holds); returns a row it drops.
    mutating func insert(_ seqnum: UInt64, _ row: Int32) -> Int32? {
        let i = Int(truncatingIfNeeded: seqnum) & mask
        let dropped = rows[i] != -2 ? rows[i] : nil
        seqnums[i] = seqnum
        rows[i] = row
        return dropped
    }

    mutating func remove(_ seqnum: UInt64) -> Int32? {
        let i = Int(truncatingIfNeeded: seqnum) & mask
        guard rows[i] != -2, seqnums[i] == seqnum else { return nil }
        defer { rows[i] = -2 }
        return rows[i]
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

/// Finished udev events of one devpath: the latest few, as the baseline
/// keeps them (`HappensBeforeTracker.udevFinishedKept`).
struct FinishedUdevEvents {
    var seqnums: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    var rows: (Int32, Int32, Int32, Int32) = (-1, -1, -1, -1)
    var count = 0

    static let kept = 4

    /// Appends, returning the row pushed out when full.
    mutating func append(_ seqnum: UInt64, _ row: Int32) -> Int32? {
        if count < Self.kept {
            set(count, seqnum, row)
            count += 1
            return nil
        }
        let dropped = rows.0
        seqnums = (seqnums.1, seqnums.2, seqnums.3, seqnum)
        rows = (rows.1, rows.2, rows.3, row)
        return dropped
    }

    private mutating func set(_ i: Int, _ seqnum: UInt64, _ row: Int32) {
        switch i {
        case 0: seqnums.0 = seqnum; rows.0 = row
        case 1: seqnums.1 = seqnum; rows.1 = row
        case 2: seqnums.2 = seqnum; rows.2 = row
        default: seqnums.3 = seqnum; rows.3 = row
        }
    }

    func item(_ i: Int) -> (UInt64, Int32) {
        switch i {
        case 0: (seqnums.0, rows.0)
        case 1: (seqnums.1, rows.1)
        case 2: (seqnums.2, rows.2)
        default: (seqnums.3, rows.3)
        }
    }
}
