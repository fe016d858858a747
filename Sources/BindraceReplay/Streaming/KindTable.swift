import BindraceTrace

/// Kind bytes to kinds by lookup: the compiler's `EventKind(rawValue:)` is
/// a call with a switch, once per event on the hot path.
struct KindTable {
    private var kinds = PlainBuffer<UInt8>(repeating: 0, count: 256)

    init() {
        for (i, kind) in EventKind.allCases.enumerated() { kinds.base[Int(kind.rawValue)] = UInt8(i + 1) }
    }

    /// The kind of a kind byte; nil for one this version does not know.
    @inline(__always)
    func kind(_ byte: UInt8) -> EventKind? {
        let i = Int(kinds.base[Int(byte)])
        return i == 0 ? nil : Self.all[i - 1]
    }

    private static let all = EventKind.allCases
}
