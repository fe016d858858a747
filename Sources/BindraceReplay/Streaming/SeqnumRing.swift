/// uevents sent and not yet taken by a udev worker, by seqnum. Seqnums grow
/// by one per uevent, so a ring indexed by seqnum holds the recent ones.
struct SeqnumRing {
    private var seqnums: PlainBuffer<UInt64>
    /// -2: empty.
    private var rows: PlainBuffer<Int32>
    private let mask: Int

    init(capacity: Int = HandOffLimits.uevents) {
        seqnums = PlainBuffer(repeating: 0, count: capacity)
        rows = PlainBuffer(repeating: -2, count: capacity)
        mask = capacity - 1
    }

    /// Stores `row` (a reference the ring now holds); returns a row it drops.
    @inline(__always)
    mutating func insert(_ seqnum: UInt64, _ row: Int32) -> Int32? {
        let i = Int(truncatingIfNeeded: seqnum) & mask
        let old = rows.base[i]
        seqnums.base[i] = seqnum
        rows.base[i] = row
        return old != -2 ? old : nil
    }

    /// The row the insert of seqnum `seqnum + ahead` will drop (-2: none).
    @inline(__always)
    func upcomingDrop(after seqnum: UInt64, ahead: Int) -> Int32 {
        let i = (Int(truncatingIfNeeded: seqnum) &+ ahead) & mask
        return rows.base[i]
    }

    @inline(__always)
    mutating func remove(_ seqnum: UInt64) -> Int32? {
        let i = Int(truncatingIfNeeded: seqnum) & mask
        let row = rows.base[i]
        guard row != -2, seqnums.base[i] == seqnum else { return nil }
        rows.base[i] = -2
        return row
    }
}
