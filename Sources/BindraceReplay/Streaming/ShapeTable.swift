/// Verdicts of lifetime shapes already judged: an open-addressing table
/// whose keys (word sequences) live in one flat buffer, so a lookup
/// allocates nothing. Bounded: past its budget it stops learning.
struct ShapeTable {
    private struct Slot {
        var hash: UInt64 = 0
        var offset: Int32 = 0
        /// -1: empty.
        var length: Int32 = -1
        var value: UInt8 = 0
    }

    private var slots = [Slot](repeating: Slot(), count: 1024)
    private var words: [UInt64] = []
    private(set) var count = 0
    private(set) var hits = 0
    private(set) var misses = 0
    /// About 32 MiB of keys.
    static let wordBudget = 1 << 22

    static func hash(_ key: UnsafePointer<UInt64>, _ count: Int) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(count)
        for i in 0..<count {
            h = (h ^ key[i]) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
        }
        return h
    }

    static func hash(_ key: [UInt64]) -> UInt64 { key.withUnsafeBufferPointer { hash($0.baseAddress!, $0.count) } }

    mutating func find(_ key: PlainBuffer<UInt64>) -> UInt8? {
        let h = Self.hash(key.base, key.count)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i].length >= 0 {
            if slots[i].hash == h, Int(slots[i].length) == key.count, equal(slots[i], key) {
                hits += 1
                return slots[i].value
            }
            i = (i + 1) & mask
        }
        misses += 1
        return nil
    }

    private func equal(_ slot: Slot, _ key: PlainBuffer<UInt64>) -> Bool {
        let o = Int(slot.offset)
        return words.withUnsafeBufferPointer { w in
            for k in 0..<key.count where w[o + k] != key.base[k] { return false }
            return true
        }
    }

    mutating func insert(_ key: [UInt64], _ value: UInt8) {
        guard words.count + key.count <= Self.wordBudget else { return }
        if (count + 1) * 2 > slots.count { rehash(slots.count * 2) }
        let h = Self.hash(key)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i].length >= 0 { i = (i + 1) & mask }
        slots[i] = Slot(hash: h, offset: Int32(words.count), length: Int32(key.count), value: value)
        words.append(contentsOf: key)
        count += 1
    }

    private mutating func rehash(_ capacity: Int) {
        let old = slots
        slots = [Slot](repeating: Slot(), count: capacity)
        let mask = capacity - 1
        for s in old where s.length >= 0 {
            var i = Int(truncatingIfNeeded: s.hash) & mask
            while slots[i].length >= 0 { i = (i + 1) & mask }
            slots[i] = s
        }
    }
}
