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

/// A yes/no fact about a string id, computed from its text once.
struct StringFlagCache {
    private var flags: [UInt8] = []

    @inline(__always)
    mutating func value(_ id: StringID, _ compute: () -> Bool) -> Bool {
        let i = Int(id)
        if i < flags.count, flags[i] != 0 { return flags[i] == 2 }
        if flags.count <= i { flags.append(contentsOf: repeatElement(0, count: max(i + 1, flags.count * 2, 256) - flags.count)) }
        let yes = compute()
        flags[i] = yes ? 2 : 1
        return yes
    }
}

/// Values interned to dense indices (match ids, device ids).
struct Interned<Value: Hashable> {
    private(set) var values: [Value] = []
    private var index: [Value: Int32] = [:]

    subscript(i: Int32) -> Value { values[Int(i)] }

    mutating func intern(_ value: Value) -> Int32 {
        if let i = index[value] { return i }
        let i = Int32(values.count)
        values.append(value)
        index[value] = i
        return i
    }
}
