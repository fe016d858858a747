import BindraceTrace

/// What a device add said about the device, interned (`DeviceInfo` without strings).
struct AddedDevice: Equatable {
    /// Interned ids, -1 without PCI ids.
    var ids: Int32 = -1
    /// Devpath symbol.
    var devpath: Int32 = -1
    var isVirtualFunction = false
    var autoprobe = true
}

/// One probe result of a device by a driver, in order of occurrence.
struct ProbeRecord {
    var driver: Int32
    var result: Int32
}

/// An unbind seen before a removal: the driver the device had, and who unbound it.
struct PendingUnbind {
    var driver: Int32
    var tid: UInt32
}

/// One lifetime of a device in the streaming replay: its own steps, probe
/// results, async runs and udev point while current; once ended, also what
/// it is judged with (binding at removal, probe outcomes in effect, the end).
/// Its buffers are reused by the device's next lifetime.
struct StreamLifetime {
    var own: [CompactStep] = []
    /// This lifetime's probe results.
    var outcomes: [ProbeRecord] = []
    /// Set when the lifetime is kept for the report: the results in effect
    /// (its own, else an earlier lifetime's).
    var view: [ProbeRecord] = []
    var hasView = false
    var asyncRuns: [Int] = []
    /// nil: the device was never added.
    var info: AddedDevice?
    var udevStamp: CompactStamp?
    /// Set when it ends.
    var observed: Int32 = -1
    /// The removal: its step id (global steps before it count) and event index.
    var endStepID = Int.max
    var endEvent: Int?
    /// Which lifetime of the device this is (0 first).
    var ordinal = 0
    var generation: Int32 = 0

    /// Empties the buffers for the next lifetime (clock references must be released first).
    mutating func reset(ordinal: Int, generation: Int32) {
        if !own.isEmpty { own.removeAll(keepingCapacity: true) }
        if !outcomes.isEmpty { outcomes.removeAll(keepingCapacity: true) }
        if !view.isEmpty { view.removeAll(keepingCapacity: true) }
        hasView = false
        if !asyncRuns.isEmpty { asyncRuns.removeAll(keepingCapacity: true) }
        info = nil
        udevStamp = nil
        observed = -1
        endStepID = .max
        endEvent = nil
        self.ordinal = ordinal
        self.generation = generation
    }
}

/// The devices the streaming replay follows, one column per fact (indexed
/// by device symbol): the hot loop reads and writes single values without
/// copying a device's whole record.
struct DeviceColumns: SymbolColumns {
    var symbols = SymbolTable()
    /// Added (or present at the start) at least once: reported.
    var listed: [Bool] = []
    /// As its latest add described it.
    var info: [AddedDevice?] = []
    /// The ids of its latest add as stored in the record (a2, a3, class).
    var rawIDs: [(UInt32, UInt32, UInt32)] = []
    /// -2 never seen; -1 seen unbound; else the driver symbol.
    var observed: [Int32] = []
    var unbindBeforeRemoval: [PendingUnbind?] = []
    var boundBeforeCapture: [String?] = []
    var current: [StreamLifetime] = []
    /// The most severe ended lifetime so far (the latest among equals), and its verdict.
    var chosen: [StreamLifetime?] = []
    var chosenVerdict: [Verdict?] = []
    /// Ended lifetimes, and those of them judged.
    var ended: [Int] = []
    var judged: [Int] = []
    /// Results of earlier lifetimes: per driver, those of the last lifetime
    /// that probed with it (a pair not probed in the current lifetime is
    /// assumed to behave as it last did).
    var earlier: [[ProbeRecord]] = []
    /// Global step handle → the device's first probe during it.
    var firstProbeOfGlobal: [[Int32: Int]] = []
    var projectionCache: [ProjectionCache?] = []
    /// The shape of its last lifetime judged through the memo, and the verdict's severity.
    var lastShape: [LastShape?] = []

    mutating func growColumns(for name: String) {
        listed.append(false)
        info.append(nil)
        rawIDs.append((0, 0, 0))
        observed.append(-2)
        unbindBeforeRemoval.append(nil)
        boundBeforeCapture.append(nil)
        current.append(StreamLifetime())
        chosen.append(nil)
        chosenVerdict.append(nil)
        ended.append(0)
        judged.append(0)
        earlier.append([])
        firstProbeOfGlobal.append([:])
        projectionCache.append(nil)
        lastShape.append(nil)
    }
}

/// A device's last lifetime shape, compared word for word before the memo
/// is asked: consecutive lifetimes of a device mostly have one shape.
final class LastShape {
    var words = PlainBuffer<UInt64>(capacity: 32)
    var severity: UInt8 = 0
}

/// The drivers the streaming replay follows, one column per fact.
struct DriverColumns: SymbolColumns {
    var symbols = SymbolTable()
    var isVFIO: [Bool] = []
    /// Order of first registration, -1 never registered.
    var rank: [Int32] = []
    var registrations: [[Int32]] = []
    var addIDs: [[Int32]] = []
    /// Module of its latest registration (symbol), -1 none.
    var module: [Int32] = []
    /// driver_async_probe= names it: 0 not decided yet, 1 no, 2 yes.
    var asyncForced: [UInt8] = []

    mutating func growColumns(for name: String) {
        isVFIO.append(DriverName.isVFIO(name))
        rank.append(-1)
        registrations.append([])
        addIDs.append([])
        module.append(-1)
        asyncForced.append(0)
    }
}
