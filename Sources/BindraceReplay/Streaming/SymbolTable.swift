import BindraceTrace

/// Names by number: each distinct text gets a dense symbol; string ids of
/// the trace map to symbols through a flat cache, so a name's text is
/// looked at once per string id.
struct SymbolTable {
    private var interned = Interned<String>()
    private var byStringID = PlainBuffer<Int32>(capacity: 256)

    var names: [String] { interned.values }
    var count: Int { interned.values.count }

    subscript(symbol: Int32) -> String { interned[symbol] }

    mutating func symbol(named name: String) -> Int32 { interned.intern(name) }

    /// The symbol string `id` was given, -1 if none yet (no text looked at).
    @inline(__always)
    mutating func cached(_ id: StringID) -> Int32 {
        let i = Int(id)
        return i < byStringID.count ? byStringID.base[i] : -1
    }

    /// The symbol of string `id`'s text (read the first time only).
    @inline(__always)
    mutating func symbol(_ id: StringID, in strings: borrowing StringTable) -> Int32 {
        let s = cached(id)
        return s >= 0 ? s : remember(id, text: strings[id])
    }

    /// Gives string `id` the symbol of `text`.
    mutating func remember(_ id: StringID, text: String) -> Int32 {
        let i = Int(id)
        if i >= byStringID.count { byStringID.extend(to: max(i + 1, byStringID.count * 2, 256), with: -1) }
        let s = symbol(named: text)
        byStringID.base[i] = s
        return s
    }
}
