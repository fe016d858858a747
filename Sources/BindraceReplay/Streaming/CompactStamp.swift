/// A stamped event of the streaming core: its task's slot, its count there,
/// and the task's clock row after it. `a` happens before (or is) `b` iff
/// b's clock has seen a's count in a's slot. Holds a reference to the row.
struct CompactStamp: Hashable {
    var slot: Int32
    var count: UInt32
    var row: Int32

    /// Before every event: the device and override a capture's start
    /// snapshot shows (count 0 is known to every clock).
    static let beforeCapture = CompactStamp(slot: 0, count: 0, row: -1)

    @inline(__always)
    func precedesOrEquals(_ other: CompactStamp, in arena: ClockArena) -> Bool {
        arena.entry(other.row, slot) >= count
    }
}
