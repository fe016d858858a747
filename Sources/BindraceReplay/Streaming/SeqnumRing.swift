/// uevents sent and not yet taken by a udev worker, by seqnum, each with
/// its sender's clock. Seqnums grow by one per uevent, so a ring indexed by
/// seqnum holds the recent ones.
struct SeqnumRing<Value> {
    private var seqnums: PlainBuffer<UInt64>
    private var held: PlainBuffer<Bool>
    private var values: PlainBuffer<Value>
    private let mask: Int

    /// `capacity`: a power of two. `empty` fills the slots nothing holds.
    init(capacity: Int = HandOffLimits.uevents, empty: Value) {
        seqnums = PlainBuffer(repeating: 0, count: capacity)
        held = PlainBuffer(repeating: false, count: capacity)
        values = PlainBuffer(repeating: empty, count: capacity)
        mask = capacity - 1
    }

    /// Holds `value`; returns the value it drops to make room.
    @inline(__always)
    mutating func insert(_ seqnum: UInt64, _ value: Value) -> Value? {
        let i = Int(truncatingIfNeeded: seqnum) & mask
        let dropped = held.base[i] ? values.base[i] : nil
        seqnums.base[i] = seqnum
        values.base[i] = value
        held.base[i] = true
        return dropped
    }

    /// The value the insert of seqnum `seqnum + ahead` will drop (nil: none).
    @inline(__always)
    func upcomingDrop(after seqnum: UInt64, ahead: Int) -> Value? {
        let i = (Int(truncatingIfNeeded: seqnum) &+ ahead) & mask
        return held.base[i] ? values.base[i] : nil
    }

    @inline(__always)
    mutating func remove(_ seqnum: UInt64) -> Value? {
        let i = Int(truncatingIfNeeded: seqnum) & mask
        guard held.base[i], seqnums.base[i] == seqnum else { return nil }
        held.base[i] = false
        return values.base[i]
    }

    /// The same ring with each held value converted (`empty` elsewhere).
    func mapped<T>(empty: T, _ convert: (Value) -> T) -> SeqnumRing<T> {
        let out = SeqnumRing<T>(capacity: mask + 1, empty: empty)
        for i in 0...mask where held.base[i] {
            out.seqnums.base[i] = seqnums.base[i]
            out.values.base[i] = convert(values.base[i])
            out.held.base[i] = true
        }
        return out
    }
}
