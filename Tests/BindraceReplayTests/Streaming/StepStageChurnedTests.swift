@testable import BindraceReplay
import BindraceSynth
import BindraceTrace
import Testing

/// A churned device's lifetime keyed in one pass (`StepStage.churnedKey`)
/// must get the key `repeatKey` writes for it. With `checksRepeats` the
/// step stage writes both and counts the differences.
@Suite struct StepStageChurnedTests {
    /// Churn traces: every kind of global change between a device's lifetimes.
    @Test func keysAgreeWithTheGeneralKeyOnChurnTraces() throws {
        let total = try RepeatChecks.overChurnTraces(0..<200) { seed, c in
            #expect(c.churnedKeyMismatches == 0, "seed \(seed): \(c.churnedKeyMismatches) churned keys differ from the general one")
        }
        // Proof only if the pass took many lifetimes.
        #expect(total.churnedKeys > 200, "\(total.churnedKeys) churned keys in \(total.judged) lifetimes")
    }

    @Test(arguments: FastCoreTests.configurations)
    func keysAgreeWithTheGeneralKeyOnSyntheticTraces(_ config: SynthConfiguration) throws {
        let (bytes, _) = try FastCoreTests.synthesize(config)
        let c = try RepeatChecks(bytes, encoding: .binary)
        #expect(c.churnedKeyMismatches == 0)
        // A synthetic trace's churn is mostly lifetimes of this kind.
        #expect(c.churnedKeys * 3 > c.judged, "\(c.churnedKeys) churned keys in \(c.judged) lifetimes")
    }

    /// Per device, the udev worker's take of the add its kept lifetime
    /// holds (its slot and count, held or with a row), after the stream.
    static func keptTakes(_ bytes: [UInt8], checking: Bool) throws -> [String: [UInt32]] {
        let (replay, _) = try StreamingReplayTests.consumed(bytes, name: "takes", checksRepeats: checking)
        var takes: [String: [UInt32]] = [:]
        let devices = replay.steps.devices
        for d in 0..<devices.count {
            let kept = devices.lifetimes[chosen: d]
            if kept.holdsUdevStamp {
                let held = devices.lifetimes.udevStamp(chosen: d).pointee
                takes[devices.names[d]] = [UInt32(held.slot), held.count]
            } else if let stamp = kept.udevStamp {
                takes[devices.names[d]] = [UInt32(stamp.slot), stamp.count]
            }
        }
        return takes
    }

    /// A lifetime this pass judged and the device kept holds the udev
    /// worker's take of its add, as one `judge` judged does (with
    /// `checksRepeats` every lifetime goes through `judge`).
    @Test(arguments: FastCoreTests.configurations)
    func keptLifetimesHoldTheirUdevTakes(_ config: SynthConfiguration) throws {
        let (bytes, _) = try FastCoreTests.synthesize(config)
        let fast = try Self.keptTakes(bytes, checking: false)
        let judged = try Self.keptTakes(bytes, checking: true)
        #expect(fast == judged)
        #expect(!fast.isEmpty)
    }

    static func records(_ pairs: [(Int32, Int32)]) -> [ProbeRecord] { pairs.map { ProbeRecord(driver: $0.0, result: $0.1) } }

    /// The results in effect for a driver: the lifetime's own, else the
    /// earlier ones, else none; counted first; false past the key's end.
    @Test func resultsInEffectAreWrittenCountFirst() {
        let own = Self.records([(1, 0), (2, -19), (1, -517)])
        let earlier = Self.records([(2, 0), (3, -22)])
        var key = [UInt64](repeating: 99, count: RepeatShapes.keyWords)
        own.withUnsafeBufferPointer { own in
            earlier.withUnsafeBufferPointer { earlier in
                key.withUnsafeMutableBufferPointer { key in
                    var words = 0
                    #expect(StepStage.appendResults(of: 1, own: own, earlier: earlier, into: key.baseAddress!, at: &words))
                    #expect(StepStage.appendResults(of: 3, own: own, earlier: earlier, into: key.baseAddress!, at: &words))
                    #expect(StepStage.appendResults(of: 4, own: own, earlier: earlier, into: key.baseAddress!, at: &words))
                    #expect(words == 6)
                    // No room for a count and two results in the last two words.
                    words = RepeatShapes.keyWords - 2
                    #expect(!StepStage.appendResults(of: 1, own: own, earlier: earlier, into: key.baseAddress!, at: &words))
                }
            }
        }
        #expect(Array(key[0..<6]) == [2, 0, UInt64(UInt32(bitPattern: -517)), 1, UInt64(UInt32(bitPattern: -22)), 0])
    }

    /// The global step's driver first, then each candidate once, the
    /// global step's own and none (-1) left out.
    @Test func driversAreNumberedOnceInOrder() {
        let own = Self.records([(5, 0)])
        let candidates: [Int32] = [7, 5, -1, 7, 6]
        var key = [UInt64](repeating: 0, count: RepeatShapes.keyWords)
        var words = 0
        own.withUnsafeBufferPointer { own in
            candidates.withUnsafeBufferPointer { candidates in
                key.withUnsafeMutableBufferPointer { key in
                    #expect(StepStage.appendResults(global: 5, candidates: candidates, own: own, earlier: UnsafeBufferPointer(start: nil, count: 0),
                                                    into: key.baseAddress!, at: &words))
                }
            }
        }
        // Driver 5 (one result, 0), then 7 and 6 (none each).
        #expect(Array(key[0..<words]) == [1, 0, 0, 0])
    }

    /// A deferral in effect: the lifetime's own, or an earlier one of a
    /// driver the lifetime has no result of.
    @Test func deferralsInEffect() {
        func mayDefer(_ own: [(Int32, Int32)], _ earlier: [(Int32, Int32)]) -> Bool {
            Self.records(own).withUnsafeBufferPointer { own in
                Self.records(earlier).withUnsafeBufferPointer { StepStage.mayDefer(own: own, earlier: $0) }
            }
        }
        #expect(!mayDefer([(1, 0)], [(2, 0)]))
        #expect(mayDefer([(1, -517)], []))
        #expect(mayDefer([(1, 0)], [(2, -517)]))
        // Driver 1's earlier deferral is not in effect: this lifetime has a result of driver 1.
        #expect(!mayDefer([(1, 0)], [(1, -517)]))
    }
}
