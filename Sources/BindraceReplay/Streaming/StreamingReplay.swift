import BindraceTrace

/// The replay in one pass over a trace: the clock stage and the step stage
/// on one thread, batch by batch (`bindrace` runs them on two). Feed items
/// in trace order, then `finish`. The result equals
/// `ReplayAnalyzer.analyzeTrace` on the same trace recorded whole (the
/// tests hold the two to it), in memory bounded by what is live rather than
/// by the trace's length.
public struct StreamingReplay {
    public private(set) var clocks = ClockStage()
    public private(set) var steps: StepStage
    private var batch = ClockedBatch()

    /// `matchFacts`: the tables to match with; nil takes them from the
    /// trace's start snapshot, as `ReplayAnalyzer.analyzeTrace` does.
    public init(name: String, matchFacts: (any MatchFacts)? = nil) {
        steps = StepStage(name: name, matchFacts: matchFacts)
    }

    public var eventsConsumed: Int { clocks.eventsConsumed }

    /// For tests: devices analysed at once at the end (`StepStage.finalChunk`).
    var finalChunk: Int {
        get { steps.finalChunk }
        set { steps.finalChunk = newValue }
    }

    /// For tests: lifetimes judged by their repeat key judged in full too (`StepStage.checksRepeats`).
    var checksRepeats: Bool {
        get { steps.checksRepeats }
        set { steps.checksRepeats = newValue }
    }

    /// A chunk's records, read before this returns (they may be gone
    /// after); returns their count for the reader (`ClockStage.consume`).
    @discardableResult
    public mutating func consume(_ records: EventRecords) -> ChunkTally {
        let counted = clocks.consume(records, into: &batch)
        flush()
        return counted
    }

    public mutating func consume(snapshot: Snapshot) {
        clocks.consume(snapshot: snapshot, into: &batch)
        flush()
    }

    private mutating func flush() {
        steps.consume(batch)
        batch.clear()
    }

    /// For tests: devices' adds and udev workers' takes of them held as
    /// values (`StepStage.holdsStamps`).
    var holdsStamps: Bool {
        get { steps.holdsStamps }
        set { steps.holdsStamps = newValue }
    }

    /// `workers`: threads for the final per-device analyses.
    public mutating func finish(diagnostics: [TraceDiagnostic] = [], of count: Int = 1, workers: Int = 1) -> TraceAnalysis {
        steps.finish(diagnostics: diagnostics, of: count, workers: workers)
    }
}
