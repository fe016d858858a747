import BindraceTrace

/// A run of events as the clock stage hands them to the step stage: the
/// events (known kinds only), where each is in the file, the stamp of each
/// stamped event with a copy of its clock, the strings the trace defined
/// since the previous batch, and the snapshots between the events. Self
/// contained, so the two stages can run on different threads; reused
/// (`clear`) to avoid allocating.
public struct ClockedBatch: Sendable {
    public internal(set) var events: [RawEvent] = []
    var locations: [Int?] = []
    /// Per event: its stamp's index, -1 when not stamped.
    var stampOf: [Int32] = []
    var stampSlots: [Int32] = []
    var stampCounts: [UInt32] = []
    /// `width` entries per stamp.
    var clocks: [UInt32] = []
    var width = 0
    var newStrings: [String] = []
    /// Snapshots, each before event `before` of the batch.
    var snapshots: [(before: Int, snapshot: Snapshot)] = []

    public init() {}

    public var count: Int { events.count }
    public var isEmpty: Bool { events.isEmpty && snapshots.isEmpty && newStrings.isEmpty }

    public mutating func clear() {
        events.removeAll(keepingCapacity: true)
        locations.removeAll(keepingCapacity: true)
        stampOf.removeAll(keepingCapacity: true)
        stampSlots.removeAll(keepingCapacity: true)
        stampCounts.removeAll(keepingCapacity: true)
        clocks.removeAll(keepingCapacity: true)
        newStrings.removeAll(keepingCapacity: true)
        snapshots.removeAll(keepingCapacity: true)
    }
}
