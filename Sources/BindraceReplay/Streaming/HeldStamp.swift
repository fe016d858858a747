/// A stamp held as a value instead of as a row of the clock arena, while
/// the clocks are at most sixteen entries wide: its task's slot, the count
/// there, and its clock (zero past the width, as a row taken then would
/// be). A row costs an allocation, a reference count taken and given back
/// and, most often, nothing else: the held add (`HeldAdd`) and a udev
/// worker's take of a device's ADD event are read only if their lifetime
/// is judged in full or reported, and are let go otherwise.
///
/// Count 0 means none: a stamped event's count in its own slot is at least one.
struct HeldStamp {
    var slot: Int32 = 0
    var count: UInt32 = 0
    var clock = SIMD16<UInt32>(repeating: 0)

    /// Clocks at most this many vectors of eight entries wide can be held.
    static let lanes = 2

    init() {}

    init(slot: Int32, count: UInt32, clock: SIMD16<UInt32>) {
        self.slot = slot
        self.count = count
        self.clock = clock
    }

    /// The stamp in slot `slot` whose clock lies at `clock`, `lanes` (at
    /// most `HeldStamp.lanes`) vectors of eight entries, as the clock
    /// stage hands stamps over: its count is its own slot's entry.
    @inline(__always)
    init(slot: Int32, clock: UnsafePointer<UInt32>, lanes: Int) {
        assert(lanes <= Self.lanes && slot >= 0 && Int(slot) < 8 * lanes)
        let vectors = UnsafeRawPointer(clock)
        let low = vectors.loadUnaligned(as: SIMD8<UInt32>.self)
        let high = lanes > 1 ? vectors.loadUnaligned(fromByteOffset: 32, as: SIMD8<UInt32>.self) : SIMD8<UInt32>(repeating: 0)
        self.init(slot: slot, count: clock[Int(slot)], clock: SIMD16(lowHalf: low, highHalf: high))
    }

    var isEmpty: Bool { count == 0 }

    /// Whether the step at `stamp` happens before (or is) this one: the
    /// held clock's entry at the stamp's slot, as `CompactStamp.precedesOrEquals`
    /// reads a row's (zero past sixteen).
    @inline(__always)
    func isPreceded(by stamp: CompactStamp) -> Bool {
        (stamp.slot < 16 ? clock[Int(stamp.slot)] : 0) >= stamp.count
    }

    /// The stamp without a row (for what reads only its slot and count).
    var rowless: CompactStamp { CompactStamp(slot: slot, count: count, row: -1) }

    /// The stamp with a row of `arena` holding its clock (the arena may have
    /// widened since: the row is zero past the held entries, as a row taken
    /// then would be now). The caller holds the row.
    func row(in arena: inout ClockArena) -> CompactStamp {
        var entries = clock
        let row = withUnsafePointer(to: &entries) {
            arena.allocate(copyingVectors: UnsafeRawPointer($0).assumingMemoryBound(to: UInt32.self), lanes: Self.lanes)
        }
        return CompactStamp(slot: slot, count: count, row: row)
    }
}

extension StreamLifetime {
    /// Gives the lifetime's held udev stamp (`held`, this lifetime's) a row
    /// of `arena`: the stamp as the recording would have kept it.
    @inline(never)
    mutating func makeHeldUdevStampARow(from held: UnsafeMutablePointer<HeldStamp>, in arena: inout ClockArena) {
        guard holdsUdevStamp else { return }
        holdsUdevStamp = false
        udevStamp = held.pointee.row(in: &arena)
    }
}

extension StreamLifetime {
    /// What the lifetime holds as values beside its slot (its add, `add`;
    /// its udev stamp, `udev`) becomes what the recording would have kept:
    /// before it is read in full or leaves its slot.
    @inline(__always)
    mutating func letGoOfHeld(device d: Int32, add: UnsafeMutablePointer<HeldAdd>, udev: UnsafeMutablePointer<HeldStamp>,
                              in arena: inout ClockArena) {
        makeHeldAddStep(device: d, from: add, in: &arena)
        makeHeldUdevStampARow(from: udev, in: &arena)
    }
}
