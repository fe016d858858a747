/// A device's add while it is its lifetime's only step, held as a value
/// beside the lifetime's slot (`LifetimeSlots.held`) instead of as a step
/// of its own.
///
/// A churned VF's lifetime is most often judged by its repeat key alone
/// (`StepStage.repeatKey`), which reads of the add only its stamp, event,
/// observed position and id. Building the add as a `CompactStep` among the
/// device's steps, taking a row of the clock arena for its stamp and
/// giving both back at the lifetime's end cost such a lifetime about 220
/// instructions more than holding it does: a copy of its clock (sixteen
/// entries: it is held only while the clocks are that narrow) and of a few
/// fields. Anything else that reads the lifetime's steps makes the add a
/// step first (`makeHeldAddStep`), the very step the recording would have
/// made, as its first own step.
struct HeldAdd {
    var id = 0
    var eventIndex = 0
    var location: Int?
    var timestamp: UInt64 = 0
    var pid: UInt32 = 0
    var tid: UInt32 = 0
    /// The task's comm (text symbol).
    var comm: Int32 = 0
    /// As `CompactStep.detail` of a device add: ids + 1 and the VF and autoprobe flags.
    var detail: UInt64 = 0
    var firstProbe = -1
    /// Its stamp, held as a value.
    var stamp = HeldStamp()

    /// Whether the step at `stamp` happens before (or is) this add.
    @inline(__always)
    func isPreceded(by other: CompactStamp) -> Bool { stamp.isPreceded(by: other) }

    /// Its observed position (`CompactStep`'s first probe, else its end).
    var position: Int { firstProbe >= 0 ? firstProbe : eventIndex }

    /// What a repeat key reads of it (its stamp without a row).
    var repeatStep: RepeatStep { RepeatStep(stamp: stamp.rowless, driver: -1, event: eventIndex, position: position, id: id) }
}

extension StreamLifetime {
    /// Makes the held add (`held`, this lifetime's) the lifetime's first own
    /// step, with a row of `arena` for its stamp (`HeldStamp.row`).
    @inline(never)
    mutating func makeHeldAddStep(device d: Int32, from held: UnsafeMutablePointer<HeldAdd>, in arena: inout ClockArena) {
        guard holdsAdd else { return }
        holdsAdd = false
        let h = held.pointee
        var step = CompactStep(id: h.id, kind: .deviceAdd, eventKind: .deviceAdd, stamp: h.stamp.row(in: &arena),
                               eventIndex: h.eventIndex, endIndex: h.eventIndex, location: h.location,
                               timestamp: h.timestamp, pid: h.pid, tid: h.tid, comm: h.comm)
        step.device = d
        step.detail = h.detail
        step.firstProbe = h.firstProbe
        own.insert(step, at: 0)
    }
}
