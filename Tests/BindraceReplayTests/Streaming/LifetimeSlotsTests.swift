@testable import BindraceReplay
import Testing

@Suite struct LifetimeSlotsTests {
    static func step(_ id: Int) -> CompactStep {
        CompactStep(id: id, kind: .deviceAdd, eventKind: .deviceAdd, stamp: .beforeCapture, eventIndex: id, endIndex: id)
    }

    /// Slots written in place keep their lifetimes, each its own, across the
    /// storage's growth (which moves them).
    @Test func slotsKeepTheirLifetimesAcrossGrowth() {
        var slots = LifetimeSlots(capacity: 2)
        for d in 0..<100 {
            slots.append(StreamLifetime(ordinal: d, generation: Int32(d)))
            slots[d].own.append(Self.step(d))
            slots[d].asyncRuns.append(d * 2)
        }
        #expect(slots.count == 100)
        for d in 0..<100 {
            #expect(slots[d].ordinal == d)
            #expect(slots[d].own.map(\.id) == [d])
            #expect(slots[d].asyncRuns == [d * 2])
        }
    }

    /// A lifetime taken out and another put back: the slot holds the new
    /// one, the one taken keeps its buffers, and a lifetime's buffers put
    /// back again serve the next one.
    @Test func takeAndPutHandOverBuffers() {
        var slots = LifetimeSlots()
        slots.append(StreamLifetime())
        slots.append(StreamLifetime())
        slots[1].own.append(Self.step(7))
        slots[1].outcomes.append(ProbeRecord(driver: 3, result: 0))
        var ended = slots.take(1)
        slots.put(1, StreamLifetime(ordinal: 1, generation: 1))
        #expect(ended.own.map(\.id) == [7])
        #expect(slots[1].own.isEmpty && slots[1].ordinal == 1)
        // A write to the lifetime taken does not reach the slot, nor the other way.
        ended.own.append(Self.step(8))
        slots[1].own.append(Self.step(9))
        #expect(ended.own.map(\.id) == [7, 8])
        #expect(slots[1].own.map(\.id) == [9])
        #expect(slots[0].own.isEmpty)
        _ = slots.take(1)
        ended.reset(ordinal: 2, generation: 2)
        slots.put(1, ended)
        #expect(slots[1].own.isEmpty && slots[1].ordinal == 2 && slots[1].generation == 2)
    }

    /// Swapping through a slot (as the final cases do) exchanges whole lifetimes.
    @Test func swappingThroughASlot() {
        var slots = LifetimeSlots()
        slots.append(StreamLifetime(ordinal: 4, generation: 0))
        slots[0].own.append(Self.step(1))
        var out = StreamLifetime()
        swap(&out, &slots[0])
        #expect(out.ordinal == 4 && out.own.map(\.id) == [1])
        #expect(slots[0].own.isEmpty && slots[0].ordinal == 0)
    }
}
