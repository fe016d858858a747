import BindraceTrace

/// A step as the streaming replay keeps it: symbols instead of strings, a
/// stamp into the clock arena, and what an `EventRef` is later made of.
/// Steps about one device live with that device's lifetime and go with it;
/// the others (registrations, dynamic ids, barriers, retries) are global.
struct CompactStep {
    /// The id the whole-trace recorder would give it (creation order).
    var id: Int
    var kind: CompactStepKind
    var eventKind: EventKind
    /// register: prefer_async; addID: written through sysfs new_id.
    var preferAsyncOrSysfs = false
    var forcedSync = false
    var probeType: ProbeType = .defaultStrategy
    var device: Int32 = -1
    /// Driver symbol; -1 none (an override cleared).
    var driver: Int32 = -1
    var module: Int32 = -1
    var matchID: Int32 = -1
    /// Barrier cookie; the retry's work function (text symbol); for a device
    /// add, its interned ids + 1 and the VF (bit 40) and autoprobe (bit 41) flags.
    var detail: UInt64 = 0
    var stamp: CompactStamp
    /// -1 for a step the start snapshot implies.
    var eventIndex: Int
    var endIndex: Int
    /// A registration whose task has moved on (its end is known).
    var closed = false
    /// Index of the failing driver_register_end, -1 when it did not fail.
    var failedAt = -1
    var location: Int?
    var timestamp: UInt64 = 0
    var pid: UInt32 = 0
    var tid: UInt32 = 0
    /// The task's comm (text symbol).
    var comm: Int32 = 0
    /// A device's own step: its first probe of that device while open.
    var firstProbe = -1

    var isSeeded: Bool { eventIndex < 0 }
}
