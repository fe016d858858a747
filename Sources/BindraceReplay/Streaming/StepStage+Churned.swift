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
// the synthetic 10M trace, 480 in one pass.
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
    /// `repeatKey` and `twoStepKey` would; false when the lifetime is not
    /// of the kind this pass takes (nothing is decided then).
    @inline(__always)
    mutating func churnedKey(_ d: Int32, _ lifetime: UnsafeMutablePointer<StreamLifetime>, _ info: AddedDevice) -> Bool {
        guard lifetime.pointee.holdsAdd, !lifetime.pointee.hasView, lifetime.pointee.asyncRuns.isEmpty else { return false }
        let cache = devices.projectionCaches.entry(d)
        // `cacheHolds` for a lifetime that names no driver, when no global
        // step came since the cache last held (it then answers at once);
        // whether a result in effect defers is asked with the results below.
        guard cache.pointee.valid, cache.pointee.ids == info.ids, cache.pointee.windowed, cache.pointee.lengths.named == 0,
              cache.pointee.lengths.globals == 1, cache.pointee.failures == registrationFailures,
              cache.pointee.heldAt == globals.count else { return false }
        let held = devices.lifetimes.held(current: Int(d))
        let h = devices.projectionCaches.globals(d)[0]
        let s = globals.base + Int(h)
        let globalStamp = s.pointee.stamp, globalEvent = s.pointee.eventIndex, globalDriver = s.pointee.driver
        // `observedPosition` of a global step, cut at the lifetime's end.
        let cut = lifetime.pointee.endEvent
        let globalPosition: Int
        if let fp = devices.firstProbeOfGlobal[Int(d)][h], cut.map({ fp < $0 }) ?? true {
            globalPosition = fp
        } else {
            globalPosition = endIndex(kind: s.pointee.kind, closed: s.pointee.closed, end: s.pointee.endIndex, cut: cut)
        }
        let addStamp = held.pointee.stamp, addEvent = held.pointee.eventIndex, addPosition = held.pointee.position
        let addFirst = held.pointee.id < s.pointee.id
        let globalBeforeAdd = addStamp.isPreceded(by: globalStamp)
        let addBeforeGlobal = addStamp.rowless.precedesOrEquals(globalStamp, in: arena)
        let secondBeforeFirst = addFirst ? globalBeforeAdd : addBeforeGlobal
        let firstBeforeSecond = addFirst ? addBeforeGlobal : globalBeforeAdd
        let (firstEvent, secondEvent) = addFirst ? (addEvent, globalEvent) : (globalEvent, addEvent)
        let (firstPosition, secondPosition) = addFirst ? (addPosition, globalPosition) : (globalPosition, addPosition)

        scratch.repeatKey.removeAll()
        scratch.repeatKey.reserve(RepeatShapes.keyWords)
        let key = scratch.repeatKey.appendReserved(uninitialized: RepeatShapes.keyWords)
        key[0] = UInt64(cache.pointee.fills) | UInt64(UInt32(bitPattern: info.ids)) << 32
        key[1] = (info.isVirtualFunction ? 1 : 0) | (info.autoprobe ? 2 : 0) | 2 << 8 | UInt64(addFirst ? 0 : 1) << 16
            | UInt64(UInt32(bitPattern: lifetime.pointee.observed)) << 32
        key[2] = (secondBeforeFirst ? 1 << 1 : 0) | (firstBeforeSecond ? 1 << 8 : 0)
        key[3] = (secondEvent < firstEvent ? 1 : 0) | (firstEvent < secondEvent ? 1 << 8 : 0)
        key[4] = (secondPosition < firstPosition ? 1 : 0) | (firstPosition < secondPosition ? 1 << 8 : 0)
        key[5] = 0
        key[6] = 0
        var words = 7
        let mayDefer = cache.pointee.mayDefer
        let candidates = devices.projectionCaches.candidates(d)
        // Read through mutating accesses, as `keepView` reads them: a
        // uniqueness check each instead of a retain and a release.
        let written = devices.earlier[Int(d)].withUnsafeMutableBufferPointer { earlier in
            lifetime.pointee.outcomes.withUnsafeMutableBufferPointer { own in
                let own = UnsafeBufferPointer(own), earlier = UnsafeBufferPointer(earlier)
                guard mayDefer == Self.mayDefer(own: own, earlier: earlier) else { return false }
                return Self.appendResults(global: globalDriver, candidates: candidates, own: own, earlier: earlier, into: key, at: &words)
            }
        }
        guard written else { return false }
        scratch.repeatKey.truncate(to: words)
        return true
    }

    /// `mayDefer` for a lifetime without a view: a deferral among its own
    /// results, or among the earlier ones of a driver it has none of.
    @inline(__always)
    static func mayDefer(own: UnsafeBufferPointer<ProbeRecord>, earlier: UnsafeBufferPointer<ProbeRecord>) -> Bool {
        for i in 0..<own.count where ProbeResult.isDefer(own[i].result) { return true }
        for i in 0..<earlier.count where ProbeResult.isDefer(earlier[i].result) {
            var overridden = false
            for j in 0..<own.count where own[j].driver == earlier[i].driver { overridden = true }
            if !overridden { return true }
        }
        return false
    }

    /// The results in effect for each driver the shape numbers: the global
    /// step's (the add names none), then the candidates', each once.
    @inline(__always)
    static func appendResults(global: Int32, candidates: UnsafeBufferPointer<Int32>, own: UnsafeBufferPointer<ProbeRecord>,
                              earlier: UnsafeBufferPointer<ProbeRecord>, into key: UnsafeMutablePointer<UInt64>, at words: inout Int) -> Bool {
        if global >= 0 {
            guard appendResults(of: global, own: own, earlier: earlier, into: key, at: &words) else { return false }
        }
        for i in 0..<candidates.count {
            let drv = candidates[i]
            if drv < 0 || drv == global { continue }
            var seen = false
            for j in 0..<i where candidates[j] == drv { seen = true }
            if seen { continue }
            guard appendResults(of: drv, own: own, earlier: earlier, into: key, at: &words) else { return false }
        }
        return true
    }

    /// `appendResults` on the lifetime's results (`own`) and the device's
    /// earlier ones: a driver's results in effect, their count first.
    @inline(__always)
    static func appendResults(of driver: Int32, own: UnsafeBufferPointer<ProbeRecord>, earlier: UnsafeBufferPointer<ProbeRecord>,
                              into key: UnsafeMutablePointer<UInt64>, at words: inout Int) -> Bool {
        var taken = 0
        for i in 0..<own.count where own[i].driver == driver { taken += 1 }
        let records = taken > 0 ? own : earlier
        if taken == 0 { for i in 0..<earlier.count where earlier[i].driver == driver { taken += 1 } }
        guard words + 1 + taken <= RepeatShapes.keyWords else { return false }
        key[words] = UInt64(taken)
        words += 1
        guard taken > 0 else { return true }
        for i in 0..<records.count where records[i].driver == driver {
            key[words] = UInt64(UInt32(bitPattern: records[i].result))
            words += 1
        }
        return true
    }
}
