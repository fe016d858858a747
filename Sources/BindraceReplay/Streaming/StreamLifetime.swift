import BindraceTrace

/// One lifetime of a device in the streaming replay: its own steps, probe
/// results, async runs and udev point while current; once ended, also what
/// it is judged with (binding at removal, probe outcomes in effect, the end).
/// Its buffers are reused by the device's next lifetime.
struct StreamLifetime {
    var own: [CompactStep] = []
    /// The device's add is held beside the lifetime's slot
    /// (`LifetimeSlots.held`) while it is the only own step; `own` is then
    /// empty. Only a lifetime in its slot holds an add.
    var holdsAdd = false
    /// This lifetime's probe results.
    var outcomes: [ProbeRecord] = []
    /// Set when the lifetime is kept for the report: the results in effect
    /// (its own, else an earlier lifetime's).
    var view: [ProbeRecord] = []
    var hasView = false
    var asyncRuns: [Int] = []
    /// nil: the device was never added.
    var info: AddedDevice?
    /// A udev worker's take of the device's ADD event: with a row, or held
    /// as a value beside the lifetime's slot (`LifetimeSlots.udevStamp`)
    /// while `holdsUdevStamp`, as the add is (only a lifetime in its slot
    /// holds one).
    var udevStamp: CompactStamp?
    var holdsUdevStamp = false
    /// Set when it ends.
    var observed: Int32 = -1
    /// The removal: its step id (global steps before it count) and event index.
    var endStepID = Int.max
    var endEvent: Int?
    /// Which lifetime of the device this is (0 first).
    var ordinal = 0
    var generation: Int32 = 0

    /// Empties the buffers for the next lifetime (clock references must be released first).
    @inline(__always)
    mutating func reset(ordinal: Int, generation: Int32) {
        Self.empty(&own)
        holdsAdd = false
        Self.empty(&outcomes)
        Self.empty(&view)
        hasView = false
        Self.empty(&asyncRuns)
        info = nil
        udevStamp = nil
        holdsUdevStamp = false
        observed = -1
        endStepID = .max
        endEvent = nil
        self.ordinal = ordinal
        self.generation = generation
    }

    /// Empties a short array keeping its buffer: element by element, since
    /// `removeAll(keepingCapacity:)` goes through a generic replace that
    /// costs more than the few elements a lifetime holds.
    @inline(__always)
    private static func empty<Element>(_ array: inout [Element]) {
        if array.count > 8 {
            array.removeAll(keepingCapacity: true)
        } else {
            while !array.isEmpty { array.removeLast() }
        }
    }
}
