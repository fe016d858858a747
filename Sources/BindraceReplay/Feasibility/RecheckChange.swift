/// What a fix's re-check changes, as `ExplorationMemo.recheck` keys it:
/// which re-check, the drivers it names by their numbers in the shape, and
/// whatever else it reads of the steps, in at most eight words held as a
/// value. Each device's fixes make three or four re-checks; as arrays,
/// their descriptions and keys cost a few allocations each.
struct RecheckChange: Hashable {
    private var words = SIMD8<UInt64>()
    private var count = 0

    init(_ tag: UInt64) { words[0] = tag; count = 1 }

    /// Appends `word`; false when the change has no room for it (it is
    /// then not one the memo can key).
    mutating func append(_ word: UInt64) -> Bool {
        guard count < SIMD8<UInt64>.scalarCount else { return false }
        words[count] = word
        count += 1
        return true
    }

    // The words in use only (the others are zero): hashing all eight cost
    // more than the rest of a lookup.
    static func == (a: RecheckChange, b: RecheckChange) -> Bool { a.count == b.count && a.words == b.words }

    func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for i in 0..<count { hasher.combine(words[i]) }
    }
}
