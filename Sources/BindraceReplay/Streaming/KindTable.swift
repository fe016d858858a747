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
        /// When the clock stage stamps it (`ClockStage.stampRule`).
        var stamp = ClockStage.StampRule.never
        /// The yes-or-no answers in one byte, each a bit test on it: as
        /// three fields they were three loads, at every event.
        private var flags: UInt8 = 0

        init(kind: EventKind? = nil, actedOn: Bool = false, brief: Bool = false, quiet: Bool = false,
             stamp: ClockStage.StampRule = .never) {
            self.kind = kind
            self.stamp = stamp
            flags = (actedOn ? 1 : 0) | (brief ? 2 : 0) | (quiet ? 4 : 0)
        }

        var actedOn: Bool { flags & 1 != 0 }
        /// Not one of the kinds only the general path handles, or a process
        /// event a settled task's short path takes (`CompactHappensBefore.observeBriefly`).
        var brief: Bool { flags & 2 != 0 }
        /// Never stamped, and moving no clock (not a uevent, none of the
        /// general path's kinds): a settled task's event of this kind
        /// needs nothing more (`CompactHappensBefore.observeQuietly`).
        var quiet: Bool { flags & 4 != 0 }
    }

    private var entries = PlainBuffer<Entry>(repeating: Entry(), count: 256)

    init() {
        for kind in EventKind.allCases {
            let general = CompactHappensBefore<InlineClocks>.generalOnly(kind), stamp = ClockStage.stampRule(kind)
            let brief = !general || CompactHappensBefore<InlineClocks>.briefProcess(kind)
            entries.base[Int(kind.rawValue)] = Entry(kind: kind, actedOn: StepStage.actsOn(kind), brief: brief,
                                                     quiet: stamp == .never && kind != .uevent && !general, stamp: stamp)
        }
    }

    /// What a kind byte is: its kind (nil for one this version does not
    /// know), whether the step stage acts on it, whether a short path may
    /// take it, whether it is quiet, and when it is stamped.
    @inline(__always)
    func entry(_ byte: UInt8) -> Entry { entries.base[Int(byte)] }
}
