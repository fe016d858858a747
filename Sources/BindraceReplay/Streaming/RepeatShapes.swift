/// Per device, the repeat keys (`StepStage.repeatKey`) of the last two
/// lifetimes judged in full, with their verdicts' severities: a churned
/// device's next lifetime with an equal key has the same shape, so it takes
/// the verdict without being projected or shaped. Two, because a racing
/// device's lifetimes alternate between the bindings seen. Fixed-size
/// entries in one flat pool, given to a device when it first has a key
/// (devices of other buses, or never removed, take none): no object per
/// device.
struct RepeatShapes {
    /// Words of a key at most (an entry is these and a header).
    static let keyWords = 15
    static let entryWords = keyWords + 1
    static let entriesPerDevice = 2
    private static let deviceWords = entryWords * entriesPerDevice
    private static let present: UInt64 = 1 << 16

    /// Per device: where its entries start in `words`, -1 for none yet.
    private var starts = PlainBuffer<Int32>(capacity: 256)
    private var words = PlainBuffer<UInt64>(capacity: 64 * deviceWords)

    var count: Int { starts.count }
    /// Devices given entries.
    var devicesWithKeys: Int { words.count / Self.deviceWords }

    /// Room for one more device, with no key.
    mutating func append() { starts.append(-1) }

    /// The severity kept with `key` for device `d`, if one of its entries holds it.
    @inline(__always)
    func severity(_ d: Int32, of key: PlainBuffer<UInt64>) -> UInt8? {
        let start = starts.base[Int(d)]
        guard start >= 0 else { return nil }
        let first = words.base + Int(start)
        for e in 0..<Self.entriesPerDevice {
            let entry = first + e &* Self.entryWords
            let header = entry.pointee
            guard header & Self.present != 0, Int(header & 0xFF) == key.count else { continue }
            // Every word compared, differences gathered: a key of ten words
            // or so usually matches whole, and a branch a word cost more.
            var difference: UInt64 = 0
            for i in 0..<key.count { difference |= entry[1 + i] ^ key.base[i] }
            if difference == 0 { return UInt8(truncatingIfNeeded: header >> 8) }
        }
        return nil
    }

    /// Keeps `key` as the device's newest entry; the oldest goes.
    mutating func remember(_ d: Int32, _ key: PlainBuffer<UInt64>, severity: UInt8) {
        precondition(key.count <= Self.keyWords)
        if starts.base[Int(d)] < 0 {
            starts.base[Int(d)] = Int32(words.count)
            words.extend(to: words.count + Self.deviceWords, with: 0)
        }
        let first = words.base + Int(starts.base[Int(d)])
        for e in stride(from: Self.entriesPerDevice - 1, to: 0, by: -1) {
            (first + e &* Self.entryWords).update(from: first + (e - 1) &* Self.entryWords, count: Self.entryWords)
        }
        first.pointee = Self.present | UInt64(severity) << 8 | UInt64(key.count)
        (first + 1).update(from: key.base, count: key.count)
    }
}
