@testable import BindraceReplay
import Testing

/// Rows shared copy-on-write: a holder never sees another holder's changes.
@Suite struct ClockArenaTests {
    @Test func sharedRowsAreCopiedBeforeAChange() {
        var arena = ClockArena(stride: 2, rows: 2)
        let a = arena.addSlot(), b = arena.addSlot()
        var task: Int32 = -1
        arena.tick(&task, slot: a)
        let handOff = arena.retain(task)
        #expect(arena.tick(&task, slot: a) == 2, "a tick returns the slot's new count")
        #expect(arena.entry(handOff, a) == 1)
        #expect(arena.entry(task, a) == 2)
        var other: Int32 = -1
        arena.tick(&other, slot: b)
        arena.join(&other, handOff)
        #expect(arena.entry(other, a) == 1 && arena.entry(other, b) == 1)
        #expect(arena.entry(handOff, b) == 0)
    }

    @Test func joiningWhatIsKnownKeepsSharing() {
        var arena = ClockArena()
        let s = arena.addSlot()
        var x: Int32 = -1
        arena.tick(&x, slot: s)
        var y = arena.retain(x)
        let before = arena.liveRows
        arena.join(&y, x)
        #expect(y == x)
        #expect(arena.liveRows == before)
    }

    @Test func releasedRowsComeBackZeroed() {
        var arena = ClockArena(stride: 2, rows: 1)
        let s = arena.addSlot()
        var x: Int32 = -1
        arena.tick(&x, slot: s)
        arena.release(x)
        #expect(arena.liveRows == 0)
        let fresh = arena.allocate()
        #expect(arena.entry(fresh, s) == 0)
    }

    @Test func aJoinThatCopiesWhileTheBufferGrowsReadsTheNewBuffer() {
        // Two rows fill the buffer; the join must copy its shared destination,
        // which grows the buffer under the source row it is reading.
        var arena = ClockArena(stride: 2, rows: 2)
        let a = arena.addSlot(), b = arena.addSlot()
        var source: Int32 = -1
        arena.tick(&source, slot: a)
        arena.tick(&source, slot: a)
        var destination: Int32 = -1
        arena.tick(&destination, slot: b)
        let held = arena.retain(destination)
        arena.join(&destination, source)
        #expect(arena.entry(destination, a) == 2 && arena.entry(destination, b) == 1)
        #expect(arena.entry(held, a) == 0 && arena.entry(held, b) == 1)
        #expect(arena.entry(source, a) == 2)
    }

    @Test func growingKeepsEveryRow() {
        var arena = ClockArena(stride: 1, rows: 1)
        var rows: [Int32] = []
        for i in 0..<40 {
            let slot = arena.addSlot()
            var r: Int32 = -1
            for _ in 0...i { arena.tick(&r, slot: slot) }
            rows.append(r)
        }
        for (i, r) in rows.enumerated() { #expect(arena.entry(r, Int32(i)) == UInt32(i + 1)) }
    }

    @Test func joinsTakeEntryByEntryMaxima() {
        // Widths that end inside, and exactly at, a vector of eight entries.
        for width in [3, 8, 9, 16, 21] {
            var arena = ClockArena()
            let slots = (0..<width).map { _ in arena.addSlot() }
            var rng = SystemRandomNumberGenerator()
            var rows: [Int32] = []
            for _ in 0..<6 {
                var r: Int32 = -1
                for s in slots { for _ in 0..<Int.random(in: 0...3, using: &rng) { arena.tick(&r, slot: s) } }
                rows.append(r)
            }
            for a in rows {
                for b in rows {
                    var joined = arena.retain(a)
                    let before = slots.map { arena.entry(a, $0) }
                    arena.join(&joined, b)
                    for (k, s) in slots.enumerated() {
                        #expect(arena.entry(joined, s) == max(before[k], arena.entry(b, s)), "width \(width) slot \(k)")
                        // The source and the shared original are untouched.
                        #expect(arena.entry(a, s) == before[k])
                    }
                    // Learning nothing keeps the row shared.
                    if slots.allSatisfy({ arena.entry(b, $0) <= before[slots.firstIndex(of: $0)!] }) { #expect(joined == a) }
                    arena.release(joined)
                }
            }
        }
    }

    @Test func aCopyFromFewerEntriesThanTheWidthIsZeroFilled() {
        var arena = ClockArena(stride: 16, rows: 1)
        let slots = (0..<10).map { _ in arena.addSlot() }
        var x: Int32 = -1
        for s in slots { arena.tick(&x, slot: s) }
        arena.release(x)
        // The freed row (still holding ones) comes back for a copy of one vector of two.
        let vector: [UInt32] = [7, 0, 0, 0, 0, 0, 0, 0]
        let row = vector.withUnsafeBufferPointer { arena.allocate(copyingVectors: $0.baseAddress!, lanes: 1) }
        #expect(arena.entries(row) == [7, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func vectorCopiesBetweenArenasOfDifferentWidthsAreZeroFilled() {
        // The clock stage's arena (3 slots) stamps; the step stage's arena is
        // wider (10 slots, two vectors) and reuses a row with stale entries.
        var source = ClockArena()
        let slots = (0..<3).map { _ in source.addSlot() }
        var x: Int32 = -1
        for (k, s) in slots.enumerated() { for _ in 0...k { source.tick(&x, slot: s) } }
        var out = PlainBuffer<UInt32>(capacity: 1)
        out.reserve(source.vectorWidth)
        source.copyVectors(x, into: &out)
        #expect(Array(UnsafeBufferPointer(start: out.base, count: out.count)) == [1, 2, 3, 0, 0, 0, 0, 0])
        var target = ClockArena()
        let wide = (0..<10).map { _ in target.addSlot() }
        var stale: Int32 = -1
        for s in wide { target.tick(&stale, slot: s) }
        target.release(stale)
        let row = target.allocate(copyingVectors: out.base, lanes: 1)
        #expect(target.entries(row) == [1, 2, 3, 0, 0, 0, 0, 0, 0, 0])
        // The zero clock copies as zeros.
        var zeros = PlainBuffer<UInt32>(capacity: 1)
        zeros.reserve(target.vectorWidth)
        target.copyVectors(-1, into: &zeros)
        #expect(Array(UnsafeBufferPointer(start: zeros.base, count: zeros.count)) == Array(repeating: 0, count: 16))
    }

    /// Random ticks, hand-offs, joins, folds and releases, some across a widening,
    /// against plain arrays: freed rows are reused without being cleared, so
    /// any entry a new row does not overwrite would show here.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func randomUseMatchesPlainVectors(seed: UInt64) {
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var arena = ClockArena(stride: 8, rows: 2)
        var slots = [arena.addSlot()]
        var held: [(row: Int32, model: [UInt32])] = [(-1, [])]
        func widened(_ m: [UInt32]) -> [UInt32] { m + Array(repeating: 0, count: slots.count - m.count) }
        for _ in 0..<2_000 {
            switch next(10) {
            case 0 where slots.count < 20:
                slots.append(arena.addSlot())
            case 1, 2:
                let i = next(held.count), s = next(slots.count)
                arena.tick(&held[i].row, slot: slots[s])
                var m = widened(held[i].model)
                m[s] += 1
                held[i].model = m
            case 3, 4:
                let i = next(held.count)
                held.append((arena.retain(held[i].row), held[i].model))
            case 5, 6:
                let i = next(held.count), j = next(held.count)
                if next(2) == 0 { arena.join(&held[i].row, held[j].row) } else { arena.fold(&held[i].row, held[j].row) }
                let a = widened(held[i].model), b = widened(held[j].model)
                held[i].model = zip(a, b).map { max($0, $1) }
            case 7, 8:
                guard held.count > 1 else { break }
                let i = next(held.count)
                arena.release(held[i].row)
                held.remove(at: i)
            case 9 where next(2) == 0:
                // A stamp's way through a batch: copied out in whole vectors, copied back in.
                let i = next(held.count)
                var out = PlainBuffer<UInt32>(capacity: 1)
                out.reserve(arena.vectorWidth)
                arena.copyVectors(held[i].row, into: &out)
                #expect(out.count == arena.vectorWidth)
                let row = arena.allocate(copyingVectors: out.base, lanes: out.count / 8)
                held.append((row, held[i].model))
            default:
                let entries = (0..<slots.count).map { _ in UInt32(next(5)) }
                let padded = entries + Array(repeating: 0, count: arena.vectorWidth - entries.count)
                let row = padded.withUnsafeBufferPointer { arena.allocate(copyingVectors: $0.baseAddress!, lanes: padded.count / 8) }
                held.append((row, entries))
            }
            for h in held {
                let expected = widened(h.model)
                #expect(slots.indices.map { arena.entry(h.row, slots[$0]) } == expected)
            }
        }
    }
}
