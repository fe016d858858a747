@testable import BindraceReplay
import PropertyBased
import Testing

/// Device caches whose lists share one pool: rewriting one device's lists,
/// however often, leaves every other device's as they were, and the pool
/// stays within a bound of what is live.
@Suite struct ProjectionCachesTests {
    private struct Lists: Equatable {
        var named: [Int32], globals: [Int32], candidates: [Int32], missing: [Int32], configured: [Int32]
    }

    private static func buffer(_ values: [Int32]) -> PlainBuffer<Int32> {
        var b = PlainBuffer<Int32>()
        for v in values { b.append(v) }
        return b
    }

    private static func read(_ caches: ProjectionCaches, _ d: Int32) -> Lists {
        Lists(named: Array(caches.named(d)), globals: Array(caches.globals(d)), candidates: Array(caches.candidates(d)),
              missing: Array(caches.missing(d)), configured: Array(caches.configured(d)))
    }

    private static func store(_ caches: inout ProjectionCaches, _ d: Int32, _ l: Lists) {
        caches.storeLists(d, named: buffer(l.named), globals: buffer(l.globals), candidates: buffer(l.candidates),
                          missing: buffer(l.missing), configured: buffer(l.configured))
    }

    @Test func rewritesKeepEveryOtherDevicesLists() async {
        let lists = Gen.int(in: 0...9).array(of: 0...6)
        let write = zip(Gen.int(in: 0...7), lists, lists, lists, lists, lists)
        await propertyCheck(count: 200, input: write.array(of: 1...60)) { writes in
            // Compacting early, so that short runs compact several times.
            var caches = ProjectionCaches(compactAfter: 16)
            for _ in 0..<8 { caches.append() }
            var reference = [Lists?](repeating: nil, count: 8)
            // The first difference only: one run's failure then shrinks quickly.
            var mismatch: String?
            writing: for (w, (d, named, globals, candidates, missing, configured)) in writes.enumerated() {
                let l = Lists(named: named.map(Int32.init), globals: globals.map(Int32.init), candidates: candidates.map(Int32.init),
                              missing: missing.map(Int32.init), configured: configured.map(Int32.init))
                Self.store(&caches, Int32(d), l)
                reference[d] = l
                for other in 0..<8 {
                    let expected = reference[other] ?? Lists(named: [], globals: [], candidates: [], missing: [], configured: [])
                    if Self.read(caches, Int32(other)) != expected {
                        mismatch = "device \(other) after write \(w) (device \(d))"
                        break writing
                    }
                }
            }
            #expect(mismatch == nil)
            let live = reference.compactMap { $0 }.reduce(0) { $0 + $1.named.count + $1.globals.count + $1.candidates.count + $1.missing.count + $1.configured.count }
            // Past the few abandoned handles tolerated, the pool stays within twice what is live.
            #expect(caches.poolCount <= max(2 * live, 16 + live + 35))
        }
    }

    @Test func aNewDeviceHasEmptyListsAndNoValidCache() {
        var caches = ProjectionCaches()
        caches.append()
        #expect(caches.entry(0).pointee.valid == false)
        #expect(caches.named(0).isEmpty && caches.globals(0).isEmpty && caches.configured(0).isEmpty)
    }
}
