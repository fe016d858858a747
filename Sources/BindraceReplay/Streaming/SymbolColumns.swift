import BindraceTrace

/// Per-symbol columns keyed by their own symbol table: a name gets its
/// columns the moment it gets its symbol, so the columns and the names can
/// never disagree in length.
protocol SymbolColumns {
    var symbols: SymbolTable { get set }
    /// Appends the columns of a new symbol, named `name`.
    mutating func growColumns(for name: String)
}

extension SymbolColumns {
    var names: [String] { symbols.names }
    var count: Int { symbols.count }

    /// The symbol of string `id` (its text is read the first time only).
    @inline(__always)
    mutating func symbol(_ id: StringID, in strings: borrowing StringTable) -> Int32 {
        let s = symbols.cached(id)
        return s >= 0 ? s : remember(id, text: strings[id])
    }

    mutating func symbol(named name: String) -> Int32 {
        let before = symbols.count
        let s = symbols.symbol(named: name)
        if symbols.count > before { growColumns(for: name) }
        return s
    }

    private mutating func remember(_ id: StringID, text: String) -> Int32 {
        let before = symbols.count
        let s = symbols.remember(id, text: text)
        if symbols.count > before { growColumns(for: text) }
        return s
    }
}
