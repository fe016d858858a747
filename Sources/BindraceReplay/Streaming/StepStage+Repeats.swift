import BindraceTrace

// A churned device's steady state: a lifetime whose only step of its own is
// the device's add, and whose global part is the device's cached one, is
// judged from the few inputs that differ from one such lifetime to the next
// (`repeatKey`) instead of being projected and shaped. A key equal to one of
// the device's last two (`RepeatShapes`) means an equal shape, hence the
// verdict kept with it.
extension StepStage {
    /// Writes the lifetime's repeat key into `scratch.repeatKey`; false when
    /// the lifetime is not of the kind a key describes.
    ///
    /// Equal keys give equal shapes (`buildShape`). The key names the fill
    /// of the device's projection cache that holds now (so the global steps,
    /// candidates and missing drivers are the same lists), the add's ids and
    /// flags, how many steps there are and where the add falls among the
    /// global ones (so the steps are the same, in the same order, and so
    /// are their words and the drivers' numbering). It then has every input
    /// of the shape that depends on the lifetime: which steps precede which,
    /// the ranks of their events, the ranks of their observed positions with
    /// the async runs, the binding seen, and the probe results in effect for
    /// each driver the shape numbers.
    mutating func repeatKey(_ d: Int32, _ lifetime: inout StreamLifetime) -> Bool {
        guard !lifetime.hasView, let info = lifetime.info, lifetime.asyncRuns.count <= 8 else { return false }
        let add: RepeatStep
        // Only a lifetime in its slot holds an add, and only a current one is keyed.
        let held = devices.lifetimes.held(current: Int(d))
        if lifetime.holdsAdd {
            add = held.pointee.repeatStep
        } else {
            guard lifetime.own.count == 1 else { return false }
            let isAdd: Bool
            (add, isAdd) = lifetime.own.withUnsafeBufferPointer { own in
                (RepeatStep(stamp: own[0].stamp, driver: -1, event: own[0].eventIndex,
                            position: own[0].firstProbe >= 0 ? own[0].firstProbe : own[0].endIndex, id: own[0].id),
                 own[0].kind == .deviceAdd)
            }
            guard isAdd else { return false }
        }
        // What `project` asks of the cache, for a lifetime that names no driver.
        scratch.named.removeAll()
        guard cacheHolds(d, ids: info.ids, mayDefer: mayDefer(d, lifetime), windowed: true) else { return false }
        let handles = devices.projectionCaches.globals(d)
        guard handles.count < 8 else { return false }
        if handles.count == 1 && lifetime.asyncRuns.isEmpty { return twoStepKey(d, &lifetime, info, add: add, global: handles[0]) }

        // The steps as `project` merges them: the add before the first global
        // step created after it, each handle once.
        scratch.repeatSteps.removeAll()
        scratch.repeatSteps.reserve(8)
        var addAt = -1, last: Int32 = -1
        for g in 0..<handles.count {
            let h = handles[g]
            if h == last { continue }
            last = h
            let s = globals.base + Int(h)
            if addAt < 0 && add.id < s.pointee.id {
                addAt = scratch.repeatSteps.count
                scratch.repeatSteps.appendReserved(add)
            }
            let position = observedPosition(h, d, lifetime)
            scratch.repeatSteps.appendReserved(RepeatStep(
                stamp: s.pointee.stamp, driver: s.pointee.driver, event: s.pointee.eventIndex, position: position, id: s.pointee.id))
        }
        if addAt < 0 {
            addAt = scratch.repeatSteps.count
            scratch.repeatSteps.appendReserved(add)
        }
        let steps = scratch.repeatSteps.base, k = scratch.repeatSteps.count
        let runs = lifetime.asyncRuns.count

        let key = startRepeatKey(d, observed: lifetime.observed, info, steps: k, addAt: addAt, runs: runs)
        // Which steps precede which, eight bits a step; the events' ranks, a byte a step.
        var precedence: UInt64 = 0, eventRanks: UInt64 = 0
        for i in 0..<k {
            var rank: UInt64 = 0
            for j in 0..<k where j != i {
                // A held add's stamp has no row: its clock is the held one.
                let precedes = i == addAt && lifetime.holdsAdd
                    ? held.pointee.isPreceded(by: steps[j].stamp) : precedesOrEquals(steps[j].stamp, steps[i].stamp)
                if precedes { precedence |= 1 << UInt64(8 * i + j) }
                if steps[j].event < steps[i].event { rank += 1 }
            }
            eventRanks |= rank << UInt64(8 * i)
        }
        key[2] = precedence
        key[3] = eventRanks
        // The observed positions' ranks with the async runs', a byte each (at most 16).
        var positionRanks: (UInt64, UInt64) = (0, 0)
        lifetime.asyncRuns.withUnsafeBufferPointer { runList in
            func position(_ i: Int) -> Int { i < k ? steps[i].position : runList[i - k] }
            for i in 0..<(k + runs) {
                let v = position(i)
                var rank: UInt64 = 0
                for j in 0..<(k + runs) where position(j) < v { rank += 1 }
                if i < 8 { positionRanks.0 |= rank << UInt64(8 * i) } else { positionRanks.1 |= rank << UInt64(8 * (i - 8)) }
            }
        }
        key[4] = positionRanks.0
        key[5] = positionRanks.1
        key[6] = 0
        scratch.repeatDrivers.removeAll()
        for i in 0..<k { noteRepeatDriver(steps[i].driver) }
        return appendDriverResults(d, &lifetime)
    }

    /// `repeatKey` for its commonest lifetime, a churned device's: the add
    /// and one global step, no async run. The same words as the general
    /// case, worked out for two steps and written straight into the key,
    /// without the general case's lists of steps, drivers and results
    /// (which cost this lifetime about 390 instructions with their
    /// bookkeeping in the scratch buffers). The one pass (`churnedKey`)
    /// writes the same words with the same pieces.
    @inline(__always)
    private mutating func twoStepKey(_ d: Int32, _ lifetime: inout StreamLifetime, _ info: AddedDevice, add: RepeatStep, global h: Int32) -> Bool {
        let s = globals.base + Int(h)
        let globalStamp = s.pointee.stamp, globalEvent = s.pointee.eventIndex, globalDriver = s.pointee.driver
        let globalPosition = observedPosition(ofGlobal: h, d, cut: lifetime.endEvent)
        // The add goes before the global step created after it.
        let addFirst = add.id < s.pointee.id
        // A held add's clock is the held one (its stamp has no row).
        let globalBeforeAdd = lifetime.holdsAdd
            ? devices.lifetimes.held(current: Int(d)).pointee.isPreceded(by: globalStamp) : precedesOrEquals(globalStamp, add.stamp)
        let addBeforeGlobal = precedesOrEquals(add.stamp, globalStamp)
        let key = startRepeatKey(d, observed: lifetime.observed, info, steps: 2, addAt: addFirst ? 0 : 1, runs: 0)
        Self.writePairWords(key, addFirst: addFirst, globalBeforeAdd: globalBeforeAdd, addBeforeGlobal: addBeforeGlobal,
                            add: (add.event, add.position), global: (globalEvent, globalPosition))
        // The drivers the shape numbers, in order of first mention: the
        // global step's (the add names none), then the candidates'; each
        // with its results in effect.
        var words = 7
        let candidates = devices.projectionCaches.candidates(d)
        let written = withResults(d, &lifetime) { own, earlier in
            Self.appendResults(global: globalDriver, candidates: candidates, own: own, earlier: earlier, into: key, at: &words)
        }
        guard written else { return false }
        scratch.repeatKey.truncate(to: words)
        return true
    }

    /// Words 2 to 6 of a two-step key: which step precedes which (bit
    /// 8i+j: step j precedes step i), then the ranks of the steps' events
    /// and of their observed positions (byte i: step i's), the steps in
    /// the order the projection merges them (the add first if `addFirst`).
    @inline(__always)
    static func writePairWords(_ key: UnsafeMutablePointer<UInt64>, addFirst: Bool, globalBeforeAdd: Bool, addBeforeGlobal: Bool,
                               add: (event: Int, position: Int), global: (event: Int, position: Int)) {
        let secondBeforeFirst = addFirst ? globalBeforeAdd : addBeforeGlobal
        let firstBeforeSecond = addFirst ? addBeforeGlobal : globalBeforeAdd
        let (first, second) = addFirst ? (add, global) : (global, add)
        key[2] = (secondBeforeFirst ? 1 << 1 : 0) | (firstBeforeSecond ? 1 << 8 : 0)
        key[3] = (second.event < first.event ? 1 : 0) | (first.event < second.event ? 1 << 8 : 0)
        key[4] = (second.position < first.position ? 1 : 0) | (first.position < second.position ? 1 << 8 : 0)
        key[5] = 0
        key[6] = 0
    }

    /// `body` on the lifetime's results and the device's earlier ones, the
    /// former read through a mutating access, as `keepView` reads them: a
    /// uniqueness check instead of a retain and a release.
    @inline(__always)
    mutating func withResults(_ d: Int32, _ lifetime: inout StreamLifetime,
                              _ body: (UnsafeBufferPointer<ProbeRecord>, UnsafeBufferPointer<ProbeRecord>) -> Bool) -> Bool {
        let earlier = devices.earlier.list(Int(d))
        return lifetime.outcomes.withUnsafeMutableBufferPointer { own in body(UnsafeBufferPointer(own), earlier) }
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

    /// A driver's results in effect (the lifetime's own, else the earlier
    /// ones), their count first, written at `words` of `key`; false when
    /// they do not fit in a key.
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

    /// Empties `scratch.repeatKey` and writes the words that say which fill
    /// of the projection cache holds, the add's ids and flags, how many
    /// steps and async runs there are, where the add falls and the binding
    /// seen (`observed`); returns where the key starts (the caller writes
    /// words 2 to 6, then the results from word 7, and truncates the key
    /// to what it wrote), its whole room counted.
    @inline(__always)
    mutating func startRepeatKey(_ d: Int32, observed: Int32, _ info: AddedDevice,
                                         steps k: Int, addAt: Int, runs: Int) -> UnsafeMutablePointer<UInt64> {
        scratch.repeatKey.removeAll()
        scratch.repeatKey.reserve(RepeatShapes.keyWords)
        let key = scratch.repeatKey.appendReserved(uninitialized: RepeatShapes.keyWords)
        key[0] = UInt64(devices.projectionCaches.entry(d).pointee.fills) | UInt64(UInt32(bitPattern: info.ids)) << 32
        key[1] = (info.isVirtualFunction ? 1 : 0) | (info.autoprobe ? 2 : 0) | UInt64(k) << 8 | UInt64(addAt) << 16
            | UInt64(runs) << 24 | UInt64(UInt32(bitPattern: observed)) << 32
        return key
    }

    /// A driver the shape numbers, once, in order of first mention (-1: none).
    @inline(__always)
    private mutating func noteRepeatDriver(_ drv: Int32) {
        if drv >= 0 && !scratch.repeatDrivers.contains(drv) { scratch.repeatDrivers.append(drv) }
    }

    /// The key's last words: the results in effect for each driver the shape
    /// numbers, in its order (the steps' drivers, noted already, then the
    /// candidates); false when they do not fit.
    @inline(__always)
    private mutating func appendDriverResults(_ d: Int32, _ lifetime: inout StreamLifetime) -> Bool {
        let candidates = devices.projectionCaches.candidates(d)
        for i in 0..<candidates.count { noteRepeatDriver(candidates[i]) }
        // After the seven fixed words (`startRepeatKey`), cut to what is written.
        var words = 7
        let key = scratch.repeatKey.base
        let drivers = scratch.repeatDrivers
        let written = withResults(d, &lifetime) { own, earlier in
            for n in 0..<drivers.count {
                guard Self.appendResults(of: drivers.base[n], own: own, earlier: earlier, into: key, at: &words) else { return false }
            }
            return true
        }
        guard written else { return false }
        scratch.repeatKey.truncate(to: words)
        return true
    }

    /// After a keyed lifetime was judged in full (its key in
    /// `scratch.repeatKey`, its shape in `scratch.key`): the key is kept with
    /// the verdict, or, when checking, compared with what the key gave
    /// (`repeated`) and with the shapes earlier lifetimes of the device
    /// with the same key had.
    mutating func settleRepeat(_ d: Int32, repeated: UInt8?, severity: UInt8) {
        if checksRepeats {
            let key = [UInt64(d)] + (0..<scratch.repeatKey.count).map { scratch.repeatKey.base[$0] }
            let shape = (0..<scratch.key.count).map { scratch.key.base[$0] }
            if let seen = repeatShapesSeen[key], seen != shape { repeatMismatches += 1 }
            repeatShapesSeen[key] = shape
        }
        if let repeated {
            if repeated != severity { repeatMismatches += 1 }
        } else {
            devices.repeats.remember(d, scratch.repeatKey, severity: severity)
        }
    }
}
