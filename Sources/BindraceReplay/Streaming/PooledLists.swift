/// Short lists of plain values, one per key (a device's symbol), in one
/// pool: a list is read through its address and count, with no reference
/// to count and no uniqueness to check. (A device's earlier results were
/// an array per device in an array: read in place, each was checked for
/// uniqueness twice, which a churned lifetime's end did three times.)
/// A list outgrowing its room moves to the pool's end and its old room is
/// not reused: the lists kept here are short and rarely grow.
struct PooledLists<Element> {
    private var starts = PlainBuffer<Int>(capacity: 256)
    private var counts = PlainBuffer<Int32>(capacity: 256)
    private var rooms = PlainBuffer<Int32>(capacity: 256)
    private var pool = PlainBuffer<Element>(capacity: 1024)

    /// Lists held (one per key, from 0).
    var count: Int { starts.count }

    /// An empty list for the next key.
    mutating func appendList() {
        starts.append(pool.count)
        counts.append(0)
        rooms.append(0)
    }

    /// List `k`, valid until the next change to any list.
    @inline(__always)
    func list(_ k: Int) -> UnsafeBufferPointer<Element> {
        UnsafeBufferPointer(start: pool.base + starts.base[k], count: Int(counts.base[k]))
    }

    @inline(__always)
    func count(of k: Int) -> Int { Int(counts.base[k]) }

    /// Overwrites element `i` of list `k`.
    @inline(__always)
    func set(_ k: Int, _ i: Int, to value: Element) {
        assert(i >= 0 && i < Int(counts.base[k]))
        (pool.base + starts.base[k] + i).pointee = value
    }

    /// Drops list `k`'s elements for which `drop` is true, keeping the order of the others.
    mutating func removeAll(_ k: Int, where drop: (Element) -> Bool) {
        let base = pool.base + starts.base[k]
        var kept = 0
        for i in 0..<Int(counts.base[k]) where !drop(base[i]) {
            base[kept] = base[i]
            kept += 1
        }
        counts.base[k] = Int32(kept)
    }

    /// Appends `values` to list `k`.
    mutating func append(_ k: Int, contentsOf values: UnsafeBufferPointer<Element>) {
        guard let source = values.baseAddress, !values.isEmpty else { return }
        let count = Int(counts.base[k]), needed = count + values.count
        if needed > Int(rooms.base[k]) {
            // Moved to the end, with room to double.
            let room = max(needed, 2 * Int(rooms.base[k]), 2)
            let start = pool.count
            pool.reserve(start + room)
            let moved = pool.appendReserved(uninitialized: room)
            moved.initialize(from: pool.base + starts.base[k], count: count)
            starts.base[k] = start
            rooms.base[k] = Int32(room)
        }
        (pool.base + starts.base[k] + count).initialize(from: source, count: values.count)
        counts.base[k] = Int32(needed)
    }
}
