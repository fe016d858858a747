/// Exits waiting for a wait, by pid: a paged table for the kernel's pid
/// range (a dictionary beyond it), forgetting the oldest past a bound.
struct PidRowMap {
    /// A pid's held row (-1 none) and the insertion that put it there.
    private struct Entry: Equatable {
        var row: Int32 = -1
        var generation: UInt32 = 0
    }

    private var entries = PagedTable(defaultValue: Entry())
    private var far = BoundedRowMap<UInt32>(limit: HandOffLimits.exits)
    private var order = InsertionOrder<UInt32>()
    private var generation: UInt32 = 0
    private(set) var count = 0
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Insertions the eviction queue holds, stale ones included.
    var queued: Int { order.pending }

    /// Takes the row out (the caller now holds its reference).
    @inline(__always)
    mutating func remove(_ pid: UInt32) -> Int32? {
        guard pid < PagedTable<Entry>.keyLimit else { return far.remove(pid) }
        let row = entries[pid].row
        guard row >= 0 else { return nil }
        entries.set(pid, Entry())
        count -= 1
        return row
    }

    /// Holds `row` for a pid not in the map; returns rows evicted to stay in bounds.
    mutating func insert(_ pid: UInt32, _ row: Int32, evicted: (Int32) -> Void) {
        guard pid < PagedTable<Entry>.keyLimit else {
            for r in far.insert(pid, row) { evicted(r) }
            return
        }
        let held = entries[pid].row
        if held >= 0 {
            evicted(held)
            count -= 1
        }
        generation &+= 1
        entries.set(pid, Entry(row: row, generation: generation))
        count += 1
        order.append(pid, generation)
        if order.pending > 2 * count + 4096 {
            order.compact { key, generation in
                let entry = entries[key]
                return entry.row >= 0 && entry.generation == generation
            }
        }
        while count > limit, let oldest = order.popOldest() {
            let entry = entries[oldest.key]
            if entry.row >= 0 && entry.generation == oldest.generation {
                evicted(entry.row)
                entries.set(oldest.key, Entry())
                count -= 1
            }
        }
    }
}
