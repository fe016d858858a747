/// A map from keys to held clocks that forgets its oldest entries past a bound.
struct BoundedRowMap<Key: Hashable, Value> {
    private var entries: [Key: (value: Value, generation: UInt32)] = [:]
    /// Keys in insertion order; an entry whose key was removed or inserted
    /// again since is stale.
    private var order = InsertionOrder<Key>()
    private var generation: UInt32 = 0
    let limit: Int

    init(limit: Int) { self.limit = limit }

    var count: Int { entries.count }

    /// Insertions the eviction queue holds, stale ones included.
    var queued: Int { order.pending }

    var rows: [(key: Key, row: Value)] { entries.map { ($0.key, $0.value.value) } }

    /// Inserts a value for a key not in the map; returns values evicted to stay in bounds.
    mutating func insert(_ key: Key, _ value: Value) -> [Value] {
        var dropped: [Value] = []
        if let old = entries[key] { dropped.append(old.value) }
        generation &+= 1
        entries[key] = (value, generation)
        order.append(key, generation)
        // Keys mostly taken out before the bound is reached leave stale
        // entries nothing pops.
        if order.pending > 2 * entries.count + 4096 {
            order.compact { key, generation in entries[key]?.generation == generation }
        }
        while entries.count > limit, let oldest = order.popOldest() {
            if let e = entries[oldest.key], e.generation == oldest.generation {
                entries[oldest.key] = nil
                dropped.append(e.value)
            }
        }
        return dropped
    }

    /// Takes the value out (the caller now holds it).
    mutating func remove(_ key: Key) -> Value? { entries.removeValue(forKey: key)?.value }

    /// The same map, its order kept, with each value converted.
    func mapped<T>(_ convert: (Value) -> T) -> BoundedRowMap<Key, T> {
        var out = BoundedRowMap<Key, T>(limit: limit)
        out.entries = entries.mapValues { (convert($0.value), $0.generation) }
        out.order = order
        out.generation = generation
        return out
    }
}
