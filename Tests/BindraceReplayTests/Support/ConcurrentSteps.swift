@testable import BindraceReplay
import BindraceTrace

/// Hand-built steps, one task each so that none is ordered before another,
/// step `i` with id `i` showing its effect at event `i`.
func concurrentSteps(_ actions: [StepAction]) -> [Step] {
    actions.enumerated().map { i, action in
        var entries = [UInt32](repeating: 0, count: actions.count)
        entries[i] = 1
        return Step(id: i, action: action,
                    event: EventRef(index: i, timestamp: 0, pid: 1, tid: 1, comm: "t", kind: .driverRegisterStart, what: ""),
                    stamp: ClockStamp(slot: i, clock: VectorClock(entries: entries)), endIndex: i, firstProbe: [:])
    }
}
