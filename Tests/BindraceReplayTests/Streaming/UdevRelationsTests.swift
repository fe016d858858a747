@testable import BindraceReplay
import BindraceSynth
import BindraceTrace
import Testing

/// The devpaths related to each one, found by hashes of paths and their
/// ancestors, against the rule itself (`HappensBeforeTracker.related`)
/// applied to every pair.
@Suite struct UdevRelationsTests {
    /// Paths over a small alphabet of components, so that equal texts,
    /// ancestors and descendants are common; with the odd ones the rule
    /// must still cut the same way (a trailing or doubled slash, no leading
    /// slash, the root, the empty text), and texts repeated under other ids.
    static func paths(_ rng: inout SplitMix64, count: Int) -> [String] {
        let parts = ["devices", "pci0000:00", "0000:00:01.0", "0000:01:00.0", "0000:01:10.1", "net", "eth0", "a", "ab"]
        let odd = ["", "/", "//devices", "/devices/", "devices/pci0000:00", "/devices//pci0000:00", "/devices/pci0000:00/"]
        var out: [String] = []
        for _ in 0..<count {
            if rng.next() % 8 == 0 {
                out.append(odd[Int(rng.next() % UInt64(odd.count))])
            } else if rng.next() % 6 == 0, let earlier = out.randomElement(using: &rng) {
                out.append(earlier)
            } else {
                let depth = 1 + Int(rng.next() % 5)
                out.append((0..<depth).map { _ in "/" + parts[Int(rng.next() % UInt64(parts.count))] }.joined())
            }
        }
        return out
    }

    static func check(hashMask: UInt64, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var strings = StringTable()
        for path in paths(&rng, count: 120) { strings.append(path) }
        var relations = UdevRelations()
        relations.hashMask = hashMask
        var finished = Set<StringID>()
        for _ in 0..<600 {
            let id = StringID(rng.next() % UInt64(strings.count))
            if rng.next() % 3 == 0 {
                relations.noteFinished(id, strings: strings)
                finished.insert(id)
            }
            let asked = StringID(rng.next() % UInt64(strings.count))
            let n = relations.finishedRelatedCount(to: asked, strings: strings)
            let found = (0..<n).map { relations.finishedRelated(to: asked, $0) }.sorted()
            let expected = finished.filter { HappensBeforeTracker.related(strings[asked], strings[$0]) }.sorted()
            #expect(found == expected, "\(strings[asked]) (id \(asked))")
        }
    }

    @Test func relatedDevpathsAreTheRulesOwn() {
        for seed in 1...8 as ClosedRange<UInt64> { Self.check(hashMask: .max, seed: seed) }
    }

    /// Hashes cut to two bits: nearly every text shares its hash with
    /// others, and only the texts tell them apart.
    @Test func collidingHashesAreToldApartByTheirTexts() {
        for seed in 1...8 as ClosedRange<UInt64> { Self.check(hashMask: 0b11, seed: seed) }
    }
}
