@testable import BindraceReplay
import Testing

@Suite struct LifetimeSlotsTests {
    static func step(_ id: Int) -> CompactStep {
        CompactStep(id: id, kind: .deviceAdd, eventKind: .deviceAdd, stamp: .beforeCapture, eventIndex: id, endIndex: id)
    }

    /// Slots written in place keep their lifetimes, each its own, across the
    /// storage's growth (which moves them), and a device's two roles stay
    /// apart.
    @Test func slotsKeepTheirLifetimesAcrossGrowth() {
        var slots = LifetimeSlots(capacity: 2)
        for d in 0..<100 {
            slots.append()
            if d % 3 == 0 { slots.swapRoles(d) }
            slots[current: d].ordinal = d
            slots[current: d].own.append(Self.step(d))
            slots[current: d].asyncRuns.append(d * 2)
            slots[chosen: d].own.append(Self.step(1000 + d))
        }
        #expect(slots.count == 100)
        for d in 0..<100 {
            #expect(slots[current: d].ordinal == d)
            #expect(slots[current: d].own.map(\.id) == [d])
            #expect(slots[current: d].asyncRuns == [d * 2])
            #expect(slots[chosen: d].own.map(\.id) == [1000 + d])
            #expect(slots[chosen: d].asyncRuns.isEmpty)
        }
    }

    /// Swapping roles makes the current lifetime the chosen one, in place,
    /// and the one chosen before the current; a write through one role
    /// does not reach the other, nor another device's.
    @Test func swappingRolesExchangesCurrentAndChosen() {
        var slots = LifetimeSlots()
        slots.append()
        slots.append()
        slots[current: 1].own.append(Self.step(7))
        slots[current: 1].outcomes.append(ProbeRecord(driver: 3, result: 0))
        let kept = slots.current(1)
        slots.swapRoles(1)
        #expect(slots.chosen(1) == kept)
        #expect(slots[chosen: 1].own.map(\.id) == [7])
        #expect(slots[current: 1].own.isEmpty)
        slots[current: 1].own.append(Self.step(9))
        #expect(slots[chosen: 1].own.map(\.id) == [7])
        #expect(slots[current: 1].own.map(\.id) == [9])
        #expect(slots[current: 0].own.isEmpty && slots[chosen: 0].own.isEmpty)
        slots.swapRoles(1)
        #expect(slots[current: 1].own.map(\.id) == [7])
        #expect(slots[chosen: 1].own.map(\.id) == [9])
    }

    /// A slot's held add and udev stamp stay with its lifetime: across the
    /// storage's growth, and when roles swap.
    @Test func heldValuesFollowTheirLifetimes() {
        var slots = LifetimeSlots(capacity: 2)
        for d in 0..<50 {
            slots.append()
            slots[current: d].holdsAdd = true
            slots[current: d].holdsUdevStamp = true
            slots.held(current: d).pointee.id = d
            slots.held(chosen: d).pointee.id = 1000 + d
            slots.udevStamp(current: d).pointee.count = UInt32(d)
            slots.udevStamp(chosen: d).pointee.count = UInt32(1000 + d)
            if d % 2 == 0 { slots.swapRoles(d) }
        }
        for d in 0..<50 {
            let swapped = d % 2 == 0
            #expect(slots[chosen: d].holdsAdd == swapped && slots[chosen: d].holdsUdevStamp == swapped)
            #expect(slots[current: d].holdsAdd == !swapped && slots[current: d].holdsUdevStamp == !swapped)
            #expect(slots.held(chosen: d).pointee.id == (swapped ? d : 1000 + d))
            #expect(slots.held(current: d).pointee.id == (swapped ? 1000 + d : d))
            #expect(slots.udevStamp(chosen: d).pointee.count == UInt32(swapped ? d : 1000 + d))
            #expect(slots.udevStamp(current: d).pointee.count == UInt32(swapped ? 1000 + d : d))
        }
    }

    /// Swapping through a slot (as the final cases do) exchanges whole lifetimes.
    @Test func swappingThroughASlot() {
        var slots = LifetimeSlots()
        slots.append()
        slots[current: 0].ordinal = 4
        slots[current: 0].own.append(Self.step(1))
        var out = StreamLifetime()
        swap(&out, &slots[current: 0])
        #expect(out.ordinal == 4 && out.own.map(\.id) == [1])
        #expect(slots[current: 0].own.isEmpty && slots[current: 0].ordinal == 0)
    }
}
