import BindraceTrace

/// Values interned to dense indices (match ids, device ids).
struct Interned<Value: Hashable> {
    private(set) var values: [Value] = []
    private var index: [Value: Int32] = [:]

    subscript(i: Int32) -> Value { values[Int(i)] }

    mutating func intern(_ value: Value) -> Int32 {
        // One lookup, through the entry in place (inserted when new): a
        // lookup and then an insert hashed a new value twice, and most
        // values interned are new ones (a trace's first sight of a name).
        let next = Int32(values.count)
        let i = Self.take(&index[value, default: -1], next)
        if i == next { values.append(value) }
        return i
    }

    /// The entry's index, given `next` if it has none yet.
    @inline(__always)
    private static func take(_ entry: inout Int32, _ next: Int32) -> Int32 {
        if entry < 0 { entry = next }
        return entry
    }
}
