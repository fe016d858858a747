@testable import BindraceReplay
import BindraceSynth
import Testing

/// A stamp held as a value (`HeldStamp`) must compare, and become a row,
/// as the arena's row of the same clock does.
@Suite struct HeldStampTests {
    /// A clock of `width` random entries, as the clock stage hands it over:
    /// whole vectors of eight, zero past the width.
    static func handedOver(width: Int, _ random: inout SplitMix64) -> [UInt32] {
        var entries = [UInt32](repeating: 0, count: (width + 7) / 8 * 8)
        for k in 0..<width { entries[k] = UInt32(1 + random.next() % 6) }
        return entries
    }

    /// Taken from the clock stage's copy: the slot's entry is the count, and
    /// a clock one vector wide is zero in the second.
    @Test func takenFromAHandedOverClock() {
        var random = SplitMix64(seed: 3)
        for width in [1, 8, 9, 16] {
            let entries = Self.handedOver(width: width, &random)
            for slot in 0..<width {
                let held = entries.withUnsafeBufferPointer {
                    HeldStamp(slot: Int32(slot), clock: $0.baseAddress!, lanes: entries.count / 8)
                }
                #expect(held.slot == Int32(slot))
                #expect(held.count == entries[slot])
                #expect(!held.isEmpty)
                let heldEntries: [UInt32] = (0..<16).map { held.clock[$0] }
                let expected: [UInt32] = (0..<16).map { $0 < entries.count ? entries[$0] : 0 }
                #expect(heldEntries == expected)
            }
        }
        #expect(HeldStamp().isEmpty)
    }

    /// The held clock answers "does this stamp happen before (or is) the
    /// held one" as the arena's row would: past the arena's width too.
    @Test func heldClocksCompareAsArenaRows() {
        var random = SplitMix64(seed: 7)
        for width in [1, 5, 8, 11, 16] {
            var arena = ClockArena()
            arena.widen(to: width)
            for _ in 0..<200 {
                let entries = Self.handedOver(width: width, &random)
                let slot = Int32(random.next() % UInt64(width))
                let held = entries.withUnsafeBufferPointer { HeldStamp(slot: slot, clock: $0.baseAddress!, lanes: entries.count / 8) }
                let row = entries.withUnsafeBufferPointer { arena.allocate(copyingVectors: $0.baseAddress!, lanes: entries.count / 8) }
                let recorded = CompactStamp(slot: slot, count: held.count, row: row)
                for _ in 0..<20 {
                    let other = CompactStamp(slot: Int32(random.next() % 20), count: UInt32(random.next() % 7), row: -1)
                    #expect(held.isPreceded(by: other) == other.precedesOrEquals(recorded, in: arena),
                            "width \(width), slot \(other.slot), count \(other.count)")
                }
                arena.release(row)
            }
        }
    }

    /// Given a row, a held stamp is the stamp the recording keeps, zero past
    /// its entries when the arena has widened since it was taken.
    @Test func aHeldStampGivenARowIsTheRecordedStamp() {
        var arena = ClockArena()
        arena.widen(to: 11)
        var clock = SIMD16<UInt32>(repeating: 0)
        for k in 0..<11 { clock[k] = UInt32(k + 1) }
        let held = HeldStamp(slot: 4, count: 5, clock: clock)
        arena.widen(to: 20)
        let stamp = held.row(in: &arena)
        #expect(stamp.slot == 4 && stamp.count == 5)
        let expected: [UInt32] = (0..<20).map { $0 < 11 ? UInt32($0 + 1) : 0 }
        #expect(arena.entries(stamp.row) == expected)
    }

    /// A lifetime's held udev stamp, given a row, becomes its udev stamp,
    /// once.
    @Test func aLifetimesHeldUdevStampBecomesItsStamp() {
        var arena = ClockArena()
        arena.widen(to: 3)
        var held = HeldStamp(slot: 1, count: 2, clock: SIMD16(1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        var lifetime = StreamLifetime()
        lifetime.holdsUdevStamp = true
        withUnsafeMutablePointer(to: &held) { lifetime.makeHeldUdevStampARow(from: $0, in: &arena) }
        #expect(!lifetime.holdsUdevStamp)
        let stamp = lifetime.udevStamp
        #expect(stamp?.slot == 1 && stamp?.count == 2)
        let entries: [UInt32]? = stamp.map { arena.entries($0.row) }
        #expect(entries == [1, 2, 3])
        // Given once: a second call changes nothing.
        withUnsafeMutablePointer(to: &held) { lifetime.makeHeldUdevStampARow(from: $0, in: &arena) }
        #expect(lifetime.udevStamp == stamp)
        // Emptied for the next lifetime, it holds none.
        lifetime.holdsUdevStamp = true
        lifetime.reset(ordinal: 1, generation: 1)
        #expect(!lifetime.holdsUdevStamp && lifetime.udevStamp == nil)
    }
}
