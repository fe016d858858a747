import BindraceTrace

/// The devices the streaming replay follows, one column per fact (indexed
/// by device symbol): the hot loop reads and writes single values without
/// copying a device's whole record. Columns of plain values are
/// `PlainBuffer`s: an array's write checks its buffer is unique, about
/// one and a half calls an event in the step stage.
struct DeviceColumns: SymbolColumns {
    var symbols = SymbolTable()
    /// Added (or present at the start) at least once: reported.
    var listed = PlainBuffer<Bool>()
    /// As its latest add described it.
    var info = PlainBuffer<AddedDevice?>()
    /// The ids of its latest add as stored in the record (a2, a3, class).
    var rawIDs = PlainBuffer<(UInt32, UInt32, UInt32)>()
    /// -2 never seen; -1 seen unbound; else the driver symbol.
    var observed = PlainBuffer<Int32>()
    var unbindBeforeRemoval = PlainBuffer<PendingUnbind?>()
    var boundBeforeCapture: [String?] = []
    /// Its current lifetime and the most severe ended lifetime so far (the
    /// latest among equals), where `chosenVerdict` is set; else an empty
    /// lifetime, whose buffers serve the next current one when the first
    /// is chosen. In slots written in place: an optional lifetime in an
    /// array was written through a uniqueness check and moved whole at each
    /// lifetime chosen.
    var lifetimes = LifetimeSlots()
    var chosenVerdict = PlainBuffer<Verdict?>()
    /// Ended lifetimes, and those of them judged.
    var ended = PlainBuffer<Int>()
    var judged = PlainBuffer<Int>()
    /// Results of earlier lifetimes: per driver, those of the last lifetime
    /// that probed with it (a pair not probed in the current lifetime is
    /// assumed to behave as it last did).
    var earlier = PooledLists<ProbeRecord>()
    /// Global step handle → the device's first probe during it.
    var firstProbeOfGlobal: [FirstProbes] = []
    var projectionCaches = ProjectionCaches()
    /// The shape of its last lifetime judged through the memo, and the verdict's severity.
    var lastShape: [LastShape?] = []
    var repeats = RepeatShapes()

    mutating func growColumns(for name: String) {
        listed.append(false)
        info.append(nil)
        rawIDs.append((0, 0, 0))
        observed.append(-2)
        unbindBeforeRemoval.append(nil)
        boundBeforeCapture.append(nil)
        lifetimes.append()
        chosenVerdict.append(nil)
        ended.append(0)
        judged.append(0)
        earlier.appendList()
        firstProbeOfGlobal.append(FirstProbes())
        projectionCaches.append()
        lastShape.append(nil)
        repeats.append()
    }
}
