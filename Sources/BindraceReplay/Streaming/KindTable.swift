import BindraceTrace

/// Kind bytes to kinds by lookup: the compiler's `EventKind(rawValue:)` is
/// a call with a switch, and a static table costs a lazy-initialisation
/// check, once per event on the hot path. Each entry also says whether the
/// step stage acts on the kind unstamped (`StepStage.actsOn`), so that the
/// clock stage's loop answers both with one load; and whether a short
/// path can take it.
struct KindTable {
    struct Entry {
        /// nil: a kind this version does not know.
        var kind: EventKind?
        var actedOn = false
        /// Not one of the kinds only the general path handles (`CompactHappensBefore.observeBriefly`).
        var brief = false
        /// When the clock stage stamps it (`ClockStage.stampRule`).
        var stamp = ClockStage.StampRule.never
    }

    private var entries = PlainBuffer<Entry>(repeating: Entry(), count: 256)

    init() {
        for kind in EventKind.allCases {
            entries.base[Int(kind.rawValue)] = Entry(kind: kind, actedOn: StepStage.actsOn(kind), brief: !CompactHappensBefore<InlineClocks>.generalOnly(kind),
                                                     stamp: ClockStage.stampRule(kind))
        }
    }

    /// What a kind byte is: its kind (nil for one this version does not know), whether the step stage acts on it, whether a short path may take it, and when it is stamped.
    @inline(__always)
    func entry(_ byte: UInt8) -> Entry { entries.base[Int(byte)] }
}
