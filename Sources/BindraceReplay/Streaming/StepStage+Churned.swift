import BindraceTrace

// A churned device's lifetime ends in one pass: its add held as its only
// step, no view, no async run, one global step in its projection, and the
// device's cached global part holding since the last global step came. The
// repeat key is the one `twoStepKey` writes, and the verdict the one the
// device's last keys give; anything else (a key no earlier lifetime had, a
// cache to check against new global steps, a lifetime of another kind)
// takes `judge`. Through `judge`, such a lifetime went through four calls
// (`judge`, `repeatKey`, `cacheHolds`, `twoStepKey`), each deriving the
// lifetime's slot, its held add and the device's cache again and moving
// the key through the scratch buffer's checks: about 620 instructions on
// the synthetic 10M trace, about 500 in one pass.
extension StepStage {
    /// The severity of device `d`'s current lifetime (at `lifetime`, its
    /// slot) by its repeat key, when it is of the kind this pass takes and
    /// one of the device's last keys is its own; nil: `judge` must decide.
    @inline(__always)
    mutating func churnedRepeat(_ d: Int32, _ lifetime: UnsafeMutablePointer<StreamLifetime>, _ info: AddedDevice) -> UInt8? {
        // `judge`'s first question, about a device bound before the capture, is left to it.
        guard lifetime.pointee.ordinal != 0 || devices.boundBeforeCapture[Int(d)] == nil else { return nil }
        guard !checksRepeats else {
            compareChurnedKey(d, lifetime, info)
            return nil
        }
        guard churnedKey(d, lifetime, info), let severity = devices.repeats.severity(d, of: scratch.repeatKey) else { return nil }
        lifetimesJudged += 1
        repeatHits += 1
        projectionCacheHits += 1
        return severity
    }

    /// For tests (`checksRepeats`): the key this pass writes compared with
    /// the one `repeatKey` writes for the same lifetime (`judge` then
    /// decides, and checks its verdict as it does for every key).
    mutating func compareChurnedKey(_ d: Int32, _ lifetime: UnsafeMutablePointer<StreamLifetime>, _ info: AddedDevice) {
        guard churnedKey(d, lifetime, info) else { return }
        churnedKeys += 1
        let churned = (0..<scratch.repeatKey.count).map { scratch.repeatKey.base[$0] }
        let general = repeatKey(d, &lifetime.pointee) ? (0..<scratch.repeatKey.count).map { scratch.repeatKey.base[$0] } : nil
        if general != churned { churnedKeyMismatches += 1 }
    }

    /// Writes the lifetime's repeat key into `scratch.repeatKey` as
    /// `twoStepKey` does, with its pieces; false when the lifetime is not
    /// of the kind this pass takes (nothing is decided then).
    @inline(__always)
    mutating func churnedKey(_ d: Int32, _ lifetime: UnsafeMutablePointer<StreamLifetime>, _ info: AddedDevice) -> Bool {
        guard lifetime.pointee.holdsAdd, !lifetime.pointee.hasView, lifetime.pointee.asyncRuns.isEmpty else { return false }
        let cache = devices.projectionCaches.entry(d)
        // `cacheHolds` for a lifetime that names no driver, when no global
        // step came since the cache last held (it then answers at once;
        // whether a result in effect defers is asked with the results).
        guard cache.pointee.valid, cache.pointee.ids == info.ids, cache.pointee.windowed, cache.pointee.lengths.named == 0,
              cache.pointee.lengths.globals == 1, cache.pointee.failures == registrationFailures,
              cache.pointee.heldAt == globals.count else { return false }
        let held = devices.lifetimes.held(current: Int(d))
        let h = devices.projectionCaches.globals(d)[0]
        let s = globals.base + Int(h)
        let globalStamp = s.pointee.stamp, globalDriver = s.pointee.driver
        let globalPosition = observedPosition(ofGlobal: h, d, cut: lifetime.pointee.endEvent)
        let addStamp = held.pointee.stamp
        let addFirst = held.pointee.id < s.pointee.id
        let key = startRepeatKey(d, observed: lifetime.pointee.observed, info, steps: 2, addAt: addFirst ? 0 : 1, runs: 0)
        Self.writePairWords(key, addFirst: addFirst, globalBeforeAdd: addStamp.isPreceded(by: globalStamp),
                            addBeforeGlobal: addStamp.rowless.precedesOrEquals(globalStamp, in: arena),
                            add: (held.pointee.eventIndex, held.pointee.position), global: (s.pointee.eventIndex, globalPosition))
        var words = 7
        let mayDefer = cache.pointee.mayDefer
        let candidates = devices.projectionCaches.candidates(d)
        // `withResults` spelled out: through it (its lifetime `inout`, not
        // this slot's address) the pass cost 38 instructions a lifetime more.
        let earlier = devices.earlier.list(Int(d))
        let written = lifetime.pointee.outcomes.withUnsafeBufferPointer { own in
            guard mayDefer == Self.mayDefer(own: own, earlier: earlier) else { return false }
            return Self.appendResults(global: globalDriver, candidates: candidates, own: own, earlier: earlier, into: key, at: &words)
        }
        guard written else { return false }
        scratch.repeatKey.truncate(to: words)
        return true
    }
}
