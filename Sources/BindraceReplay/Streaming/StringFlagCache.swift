import BindraceTrace

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
