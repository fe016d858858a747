import BindraceTrace

/// A run of events as the clock stage hands them to the step stage: the
/// events the step stage acts on (others only moved clocks), each with its
/// position in the trace and where it is in the file, the stamp of each
/// stamped event with a copy of its clock, the strings the trace defined
/// since the previous batch, and the snapshots between the events. Self
/// contained, so the two stages can run on different threads; reused
/// (`clear`) so that nothing is allocated per batch.
public struct ClockedBatch: @unchecked Sendable {
    var events = PlainBuffer<RawEvent>(capacity: 4096)
    /// Each event's position in the trace.
    var indices = PlainBuffer<Int>(capacity: 4096)
    /// Each event's chunk offset or JSONL line; `Int.min`: none.
    var locations = PlainBuffer<Int>(capacity: 4096)
    /// Per event: its stamp's index, -1 when not stamped.
    var stampOf = PlainBuffer<Int32>(capacity: 4096)
    var stampSlots = PlainBuffer<Int32>(capacity: 1024)
    var stampCounts = PlainBuffer<UInt32>(capacity: 1024)
    /// `width` entries per stamp.
    var clocks = PlainBuffer<UInt32>(capacity: 16384)
    var width = 0
    var newStrings: [String] = []
    /// Snapshots, each before event `before` of the batch, at trace position `index`.
    var snapshots: [(before: Int, index: Int, snapshot: Snapshot)] = []
    /// Events of the trace consumed once this batch is (forwarded or not).
    public internal(set) var eventsConsumed = 0

    public init() {}

    /// Events handed on.
    public var count: Int { events.count }
    public var isEmpty: Bool { events.isEmpty && snapshots.isEmpty && newStrings.isEmpty }

    public mutating func clear() {
        events.removeAll()
        indices.removeAll()
        locations.removeAll()
        stampOf.removeAll()
        stampSlots.removeAll()
        stampCounts.removeAll()
        clocks.removeAll()
        newStrings.removeAll(keepingCapacity: true)
        snapshots.removeAll(keepingCapacity: true)
    }

    /// Makes room for `n` more events (one capacity check per chunk).
    mutating func reserve(_ n: Int) {
        events.reserve(events.count + n)
        indices.reserve(indices.count + n)
        locations.reserve(locations.count + n)
        stampOf.reserve(stampOf.count + n)
    }
}
