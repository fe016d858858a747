import BindraceTrace

/// What the clock stage hands the step stage: runs of records read in
/// place (where they lie in the mapped file, or in the reader's buffer while
/// one thread runs both stages), the stamped records with their stamps and
/// a copy of each stamp's clock, the strings the trace defined since the
/// previous batch, and the snapshots between the records. The step stage
/// reads the records where they lie (the kind of each, and in full those
/// it acts on), so the clock stage copies no event. Reused (`clear`) so
/// that nothing is allocated per batch.
///
/// The records must stay readable until the step stage has consumed the
/// batch: a mapped file is, and `StreamingReplay` consumes each batch
/// within the visit that lent the records.
public struct ClockedBatch: @unchecked Sendable {
    /// A stamped record. (The unstamped ones the step stage acts on, of
    /// the kinds `StepStage.actsOn` names, it finds by their kinds: the
    /// clock stage listed them until its thread came to bound the stream.)
    struct Acted {
        /// Trace position.
        var index: Int
        /// Place among the batch's records (increasing).
        var record: Int32
        /// Its stamp's number in the batch.
        var stamp: Int32
        /// Its stamp's clock slot (its count is that entry of the stamp's
        /// clock). In what was padding: the entry stays 24 bytes. (Its kind
        /// the step stage reads from the record, as it does every record's.)
        var slot: Int32
    }

    /// Each chunk's records, as they lie.
    var runs: [RecordSpan] = []
    /// Records in the runs, of any kind.
    public private(set) var records = 0
    var acted = PlainBuffer<Acted>(capacity: 4096)
    /// Stamps in the batch.
    var stamps = 0
    /// `clockStride` entries per stamp: its clock in whole vectors of eight
    /// entries, zero past `width`.
    var clocks = PlainBuffer<UInt32>(capacity: 16384)
    var width = 0
    /// Entries per stamp in `clocks`: the width in whole vectors of eight.
    var clockStride: Int { (width + 7) / 8 * 8 }
    var newStrings: [String] = []
    /// Snapshots, each before record `before` of the batch, at trace position `index`.
    var snapshots: [(before: Int, index: Int, snapshot: Snapshot)] = []
    /// Events of the trace consumed once this batch is (forwarded or not).
    public internal(set) var eventsConsumed = 0
    /// The trace position of the batch's first record of a known kind
    /// (records of kinds this version does not know take no position).
    var firstIndex = 0

    public init() {}

    public var isEmpty: Bool { runs.isEmpty && snapshots.isEmpty && newStrings.isEmpty }

    /// The file offset of the last run's chunk (nil: no run): once the batch
    /// is consumed, what lies before it is no longer read.
    public var lastOffset: Int? { runs.last?.offset }

    /// Lists stamped record `record` of the batch (trace position `index`)
    /// for the step stage, with its stamp's number. Room must have been
    /// reserved in `acted`; a batch holds far fewer than 2^31 records.
    @inline(__always)
    mutating func act(_ record: Int, index: Int, stamp: Int, slot: Int32) {
        acted.appendReserved(Acted(index: index, record: Int32(truncatingIfNeeded: record), stamp: Int32(truncatingIfNeeded: stamp),
                                   slot: slot))
    }

    mutating func append(_ records: EventRecords) {
        runs.append(records.span)
        self.records += records.count
    }

    public mutating func clear() {
        runs.removeAll(keepingCapacity: true)
        records = 0
        acted.removeAll()
        stamps = 0
        clocks.removeAll()
        newStrings.removeAll(keepingCapacity: true)
        snapshots.removeAll(keepingCapacity: true)
    }
}
