@testable import BindraceReplay
import BindraceSynth
import Testing

/// Interning against a plain dictionary: the first sight of a value gets
/// the next index, every later one the same index, and the values read
/// back by index.
@Suite struct InternedTests {
    @Test func indicesAreDenseAndStable() {
        var interned = Interned<String>()
        var model: [String: Int32] = [:]
        var order: [String] = []
        var rng = SplitMix64(seed: 21)
        for _ in 0..<5_000 {
            let name = "dev\(rng.next() % 700)"
            let expected = model[name] ?? Int32(order.count)
            if model[name] == nil {
                model[name] = expected
                order.append(name)
            }
            #expect(interned.intern(name) == expected)
        }
        #expect(interned.values == order)
        for (i, name) in order.enumerated() { #expect(interned[Int32(i)] == name) }
    }
}
