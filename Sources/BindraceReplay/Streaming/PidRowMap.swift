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
