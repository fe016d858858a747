/// Clocks as values of sixteen entries: a join is two vector maxima, a
/// hand-off a copy of 64 bytes, and nothing is counted or freed. Shared
/// rows (`ClockArena`) cost a join about 120 instructions at 11 slots, of
/// which the maxima were 20: the rest was sharing. The clock stage starts
/// here and moves its clocks to an arena if a trace needs a 17th slot at
/// once (`ClockStage.widened`).
struct InlineClocks: ClockStore {
    typealias Clock = SIMD16<UInt32>

    static var zero: Clock { Clock() }
    static var slotLimit: Int? { 16 }
    static var sharesRows: Bool { false }
    private(set) var width = 0

    mutating func addSlot() -> Int32 {
        precondition(width < 16, "the clock stage widens before a 17th slot")
        width += 1
        return Int32(width - 1)
    }

    @inline(__always)
    func entry(_ clock: Clock, _ slot: Int32) -> UInt32 { slot >= 0 && slot < 16 ? clock[Int(slot)] : 0 }

    @inline(__always)
    func retain(_ clock: Clock) -> Clock { clock }

    @inline(__always)
    func release(_ clock: Clock) {}

    /// In place: picked by index from the clock's value, the entry cost a
    /// copy of all 64 bytes to the stack and back, twice (about 30
    /// instructions a stamp).
    @inline(__always) @discardableResult
    func tick(_ clock: inout Clock, slot: Int32) -> UInt32 {
        // The store below is unchecked: the slot must be one of the value's.
        precondition(slot >= 0 && Int(slot) < width)
        return withUnsafeMutableBytes(of: &clock) { entries in
            let offset = Int(slot) &* MemoryLayout<UInt32>.stride
            let count = entries.load(fromByteOffset: offset, as: UInt32.self) &+ 1
            entries.storeBytes(of: count, toByteOffset: offset, as: UInt32.self)
            return count
        }
    }

    @inline(__always)
    func join(_ clock: inout Clock, _ source: Clock) { clock = Self.maxima(clock, source) }

    @inline(__always)
    func fold(_ clock: inout Clock, _ source: Clock) { clock = Self.maxima(clock, source) }

    /// Each entry's maximum. The standard `pointwiseMax` of unsigned lanes
    /// was a call of 64 instructions here: the baseline x86-64 has no
    /// unsigned compare of 32-bit lanes. Signed compares of the entries
    /// with their top bit flipped order them the same way, four lanes an
    /// instruction, and the select a few logical ones.
    @inline(__always)
    static func maxima(_ a: Clock, _ b: Clock) -> Clock {
        let bias = SIMD16<UInt32>(repeating: 0x8000_0000)
        let sa = SIMD16<Int32>(truncatingIfNeeded: a ^ bias), sb = SIMD16<Int32>(truncatingIfNeeded: b ^ bias)
        return a.replacing(with: b, where: sb .> sa)
    }

    @inline(__always)
    func prefetch(_ clock: Clock) {}

    var vectorWidth: Int { width > 8 ? 16 : 8 }

    @inline(__always)
    func copyVectors(_ clock: Clock, into out: inout PlainBuffer<UInt32>) {
        let d = UnsafeMutableRawPointer(out.appendReserved(uninitialized: vectorWidth))
        if width > 8 {
            d.storeBytes(of: clock, as: Clock.self)
        } else {
            d.storeBytes(of: clock.lowHalf, as: SIMD8<UInt32>.self)
        }
    }
}
