@testable import BindraceReplay
import BindraceSynth
import Testing

/// Pooled lists against an array per key: random appends, removals and
/// overwrites on many keys at once, each list read back whole after every
/// change (a list that moves must take its elements, and leave the others
/// where they were).
@Suite struct PooledListsTests {
    @Test func listsMatchAnArrayPerKey() {
        var pooled = PooledLists<ProbeRecord>()
        var model: [[ProbeRecord]] = []
        var rng = SplitMix64(seed: 5)
        for step in 0..<20_000 {
            if model.isEmpty || rng.next() % 50 == 0 {
                pooled.appendList()
                model.append([])
            }
            let k = Int(rng.next() % UInt64(model.count))
            switch rng.next() % 4 {
            case 0, 1:
                let values = (0..<Int(rng.next() % 4)).map { _ in
                    ProbeRecord(driver: Int32(rng.next() % 6), result: Int32(rng.next() % 3) - 1)
                }
                values.withUnsafeBufferPointer { pooled.append(k, contentsOf: $0) }
                model[k] += values
            case 2:
                let driver = Int32(rng.next() % 6)
                pooled.removeAll(k) { $0.driver == driver }
                model[k].removeAll { $0.driver == driver }
            default:
                guard !model[k].isEmpty else { break }
                let i = Int(rng.next() % UInt64(model[k].count))
                let value = ProbeRecord(driver: Int32(step % 6), result: 0)
                pooled.set(k, i, to: value)
                model[k][i] = value
            }
            #expect(pooled.count == model.count)
            #expect(pooled.count(of: k) == model[k].count)
            #expect(Array(pooled.list(k)).map(\.pair) == model[k].map(\.pair))
        }
        for k in model.indices { #expect(Array(pooled.list(k)).map(\.pair) == model[k].map(\.pair)) }
    }

    @Test func anEmptyListReadsEmpty() {
        var pooled = PooledLists<ProbeRecord>()
        pooled.appendList()
        #expect(pooled.list(0).isEmpty)
        [ProbeRecord]().withUnsafeBufferPointer { pooled.append(0, contentsOf: $0) }
        #expect(pooled.count(of: 0) == 0)
        pooled.removeAll(0) { _ in true }
        #expect(pooled.list(0).isEmpty)
    }
}

private extension ProbeRecord {
    var pair: [Int32] { [driver, result] }
}
