import BindraceTrace

/// Kind bytes to kinds by lookup: the compiler's `EventKind(rawValue:)` is
/// a call with a switch, and a static table costs a lazy-initialisation
/// check, once per event on the hot path.
struct KindTable {
    private var kinds = PlainBuffer<EventKind?>(repeating: nil, count: 256)

    init() {
        for kind in EventKind.allCases { kinds.base[Int(kind.rawValue)] = kind }
    }

    /// The kind of a kind byte; nil for one this version does not know.
    @inline(__always)
    func kind(_ byte: UInt8) -> EventKind? { kinds.base[Int(byte)] }
}
