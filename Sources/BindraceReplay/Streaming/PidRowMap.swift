/// Exits waiting for a wait, by pid, each with its clock: a paged table for
/// the kernel's pid range (a dictionary beyond it), forgetting the oldest
/// past a bound. The paged table holds only a small index into a pool of
/// the values held: a clock held by value is 64 bytes, and unreaped exits
/// spread over the pid range would keep a page each.
struct PidRowMap<Value> {
    private typealias Entry = PidRowMapEntry

    private var entries = PagedTable(defaultValue: Entry())
    private var values: PlainBuffer<Value>
    private var freeIndices = PlainBuffer<Int32>()
    private var far: BoundedRowMap<UInt32, Value>
    private var order = InsertionOrder<UInt32>()
    private var generation: UInt32 = 0
    private(set) var count = 0
    let limit: Int

    init(limit: Int) {
        self.limit = limit
        far = BoundedRowMap(limit: limit)
        values = PlainBuffer(capacity: 64)
    }

    /// Insertions the eviction queue holds, stale ones included.
    var queued: Int { order.pending }

    /// Takes the value out (the caller now holds it).
    @inline(__always)
    mutating func remove(_ pid: UInt32) -> Value? {
        guard pid < PagedTable<Entry>.keyLimit else { return far.remove(pid) }
        let index = entries[pid].index
        guard index >= 0 else { return nil }
        entries.set(pid, Entry())
        count -= 1
        return take(index)
    }

    /// What an insertion let go of: the pid's earlier value, and the oldest
    /// entry past the bound (one insertion passes it by one at most).
    /// Returned rather than handed to a closure: the exits' caller gathered
    /// them in an array its closure captured, a box allocated and freed at
    /// every process exit.
    struct Dropped {
        var first: Value?
        var second: Value?

        mutating func add(_ value: Value) {
            if first == nil { first = value } else { second = value }
        }

        /// Both, as a list (for tests).
        var values: [Value] { [first, second].compactMap { $0 } }
    }

    /// Holds `value` for `pid`; returns what was let go of to do so.
    mutating func insert(_ pid: UInt32, _ value: Value) -> Dropped {
        var dropped = Dropped()
        guard pid < PagedTable<Entry>.keyLimit else {
            for v in far.insert(pid, value) { dropped.add(v) }
            return dropped
        }
        let held = entries[pid].index
        if held >= 0 {
            dropped.add(take(held))
            count -= 1
        }
        generation &+= 1
        entries.set(pid, Entry(index: place(value), generation: generation))
        count += 1
        order.append(pid, generation)
        if order.pending > 2 * count + 4096 {
            order.compact { key, generation in
                let entry = entries[key]
                return entry.index >= 0 && entry.generation == generation
            }
        }
        while count > limit, let oldest = order.popOldest() {
            let entry = entries[oldest.key]
            if entry.index >= 0 && entry.generation == oldest.generation {
                dropped.add(take(entry.index))
                entries.set(oldest.key, Entry())
                count -= 1
            }
        }
        return dropped
    }

    private mutating func place(_ value: Value) -> Int32 {
        if let i = freeIndices.popLast() {
            values.base[Int(i)] = value
            return i
        }
        values.append(value)
        return Int32(values.count - 1)
    }

    private mutating func take(_ index: Int32) -> Value {
        freeIndices.append(index)
        return values.base[Int(index)]
    }

    /// The same map, its order kept, with each held value converted.
    func mapped<T>(empty: T, _ convert: (Value) -> T) -> PidRowMap<T> {
        var out = PidRowMap<T>(limit: limit)
        out.entries = entries
        var free = Set<Int32>()
        for k in 0..<freeIndices.count { free.insert(freeIndices.base[k]) }
        for i in 0..<values.count {
            // Free places hold values given back already: not converted.
            out.values.append(free.contains(Int32(i)) ? empty : convert(values.base[i]))
        }
        out.freeIndices = freeIndices
        out.far = far.mapped(convert)
        out.order = order
        out.generation = generation
        out.count = count
        return out
    }
}

/// A pid's place in a `PidRowMap`'s values (-1 none) and the insertion
/// that put it there (outside the generic map, so that maps of any value
/// share the type).
private struct PidRowMapEntry: Equatable {
    var index: Int32 = -1
    var generation: UInt32 = 0
}
