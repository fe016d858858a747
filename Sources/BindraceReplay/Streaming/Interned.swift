import BindraceTrace

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
