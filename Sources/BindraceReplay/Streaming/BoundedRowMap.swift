/// A map from keys to held rows that forgets its oldest entries past a bound.
struct BoundedRowMap<Key: Hashable> {
    private var entries: [Key: (row: Int32, generation: UInt32)] = [:]
    /// Keys in insertion order; an entry whose key was removed or inserted
    /// again since is stale.
    private var order = InsertionOrder<Key>()
    private var generation: UInt32 = 0
    let limit: Int

    init(limit: Int) { self.limit = limit }

    var count: Int { entries.count }

    /// Insertions the eviction queue holds, stale ones included.
    var queued: Int { order.pending }

    var rows: [(key: Key, row: Int32)] { entries.map { ($0.key, $0.value.row) } }

    /// Inserts a row for a key not in the map; returns rows evicted to stay in bounds.
    mutating func insert(_ key: Key, _ row: Int32) -> [Int32] {
        var dropped: [Int32] = []
        if let old = entries[key] { dropped.append(old.row) }
        generation &+= 1
        entries[key] = (row, generation)
        order.append(key, generation)
        // Keys mostly taken out before the bound is reached leave stale
        // entries nothing pops.
        if order.pending > 2 * entries.count + 4096 {
            order.compact { key, generation in entries[key]?.generation == generation }
        }
        while entries.count > limit, let oldest = order.popOldest() {
            if let e = entries[oldest.key], e.generation == oldest.generation {
                entries[oldest.key] = nil
                dropped.append(e.row)
            }
        }
        return dropped
    }

    /// Takes the row out (the caller now holds its reference).
    mutating func remove(_ key: Key) -> Int32? { entries.removeValue(forKey: key)?.row }
}
