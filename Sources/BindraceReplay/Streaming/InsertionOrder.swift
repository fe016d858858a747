/// Keys in the order they were put in a table, each with the generation
/// that put it there: an entry whose key was taken out or put in again
/// since is stale, and whoever pops it checks the generation. Keys are
/// plain values (pids, devpath ids, async cookies).
struct InsertionOrder<Key> {
    private var entries = PlainBuffer<(key: Key, generation: UInt32)>(capacity: 1 << 12)
    private var head = 0

    mutating func append(_ key: Key, _ generation: UInt32) {
        entries.append((key, generation))
    }

    /// Entries not popped yet, stale ones included.
    var pending: Int { entries.count - head }

    /// Drops the stale entries (those `isCurrent` rejects), keeping the
    /// order: a table whose keys are mostly taken out before it is full
    /// never pops, and its queue would otherwise grow with the trace.
    mutating func compact(isCurrent: (Key, UInt32) -> Bool) {
        var kept = PlainBuffer<(key: Key, generation: UInt32)>(capacity: 1 << 12)
        for k in head..<entries.count where isCurrent(entries.base[k].key, entries.base[k].generation) {
            kept.append(entries.base[k])
        }
        entries = kept
        head = 0
    }

    mutating func popOldest() -> (key: Key, generation: UInt32)? {
        guard head < entries.count else { return nil }
        let oldest = entries.base[head]
        head += 1
        if head > 4096 && head * 2 > entries.count {
            // Keep the queue short: move what is left to the front.
            var kept = PlainBuffer<(key: Key, generation: UInt32)>(capacity: entries.count - head + 16)
            for k in head..<entries.count { kept.append(entries.base[k]) }
            entries = kept
            head = 0
        }
        return oldest
    }
}
