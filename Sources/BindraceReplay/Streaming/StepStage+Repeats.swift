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
            add = RepeatStep(stamp: held.pointee.stamp.rowless, driver: -1, event: held.pointee.eventIndex,
                             position: held.pointee.position, id: held.pointee.id)
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

        let key = startRepeatKey(d, lifetime, info, steps: k, addAt: addAt, runs: runs)
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
        return appendDriverResults(d, lifetime)
    }

    /// `repeatKey` for its commonest lifetime, a churned device's: the add
    /// and one global step, no async run. The same words as the general
    /// case, worked out for two steps and written straight into the key,
    /// without the general case's lists of steps, drivers and results
    /// (which cost this lifetime about 390 instructions with their
    /// bookkeeping in the scratch buffers).
    @inline(__always)
    private mutating func twoStepKey(_ d: Int32, _ lifetime: inout StreamLifetime, _ info: AddedDevice, add: RepeatStep, global h: Int32) -> Bool {
        let s = globals.base + Int(h)
        let globalStamp = s.pointee.stamp, globalEvent = s.pointee.eventIndex, globalDriver = s.pointee.driver
        let globalPosition = observedPosition(h, d, lifetime)
        // The add goes before the global step created after it.
        let addFirst = add.id < s.pointee.id
        // A held add's clock is the held one (its stamp has no row).
        let globalBeforeAdd = lifetime.holdsAdd
            ? devices.lifetimes.held(current: Int(d)).pointee.isPreceded(by: globalStamp) : precedesOrEquals(globalStamp, add.stamp)
        let addBeforeGlobal = precedesOrEquals(add.stamp, globalStamp)
        // In the steps' order (first, second): does the second precede the first, the first the second?
        let secondBeforeFirst = addFirst ? globalBeforeAdd : addBeforeGlobal
        let firstBeforeSecond = addFirst ? addBeforeGlobal : globalBeforeAdd
        let (firstEvent, secondEvent) = addFirst ? (add.event, globalEvent) : (globalEvent, add.event)
        let (firstPosition, secondPosition) = addFirst ? (add.position, globalPosition) : (globalPosition, add.position)

        let key = startRepeatKey(d, lifetime, info, steps: 2, addAt: addFirst ? 0 : 1, runs: 0)
        _ = scratch.repeatKey.appendReserved(uninitialized: RepeatShapes.keyWords - 7)
        // Bit 8i+j: step j precedes step i; byte i: the rank of step i's event, then of its position.
        key[2] = (secondBeforeFirst ? 1 << 1 : 0) | (firstBeforeSecond ? 1 << 8 : 0)
        key[3] = (secondEvent < firstEvent ? 1 : 0) | (firstEvent < secondEvent ? 1 << 8 : 0)
        key[4] = (secondPosition < firstPosition ? 1 : 0) | (firstPosition < secondPosition ? 1 << 8 : 0)
        key[5] = 0
        key[6] = 0
        // The drivers the shape numbers, in order of first mention: the
        // global step's (the add names none), then the candidates'; each
        // with its results in effect.
        var words = 7
        if globalDriver >= 0 {
            guard appendResults(d, lifetime, driver: globalDriver, into: key, at: &words) else { return false }
        }
        let candidates = devices.projectionCaches.candidates(d)
        for i in 0..<candidates.count {
            let drv = candidates[i]
            if drv < 0 || drv == globalDriver { continue }
            var seen = false
            for j in 0..<i where candidates[j] == drv { seen = true }
            if seen { continue }
            guard appendResults(d, lifetime, driver: drv, into: key, at: &words) else { return false }
        }
        scratch.repeatKey.truncate(to: words)
        return true
    }

    /// A driver's results in effect (`results`: the lifetime's own, else
    /// the earlier ones), their count first, written at `words` of `key`;
    /// false when they do not fit in a key.
    @inline(__always)
    private func appendResults(_ d: Int32, _ lifetime: StreamLifetime, driver: Int32,
                               into key: UnsafeMutablePointer<UInt64>, at words: inout Int) -> Bool {
        func write(_ records: UnsafeBufferPointer<ProbeRecord>) -> Int? {
            var taken = 0
            for i in 0..<records.count where records[i].driver == driver { taken += 1 }
            guard taken > 0 else { return 0 }
            guard words + 1 + taken <= RepeatShapes.keyWords else { return nil }
            key[words] = UInt64(taken)
            var w = words + 1
            for i in 0..<records.count where records[i].driver == driver {
                key[w] = UInt64(UInt32(bitPattern: records[i].result))
                w += 1
            }
            words = w
            return taken
        }
        guard let own = lifetime.outcomes.withUnsafeBufferPointer(write) else { return false }
        if own > 0 { return true }
        guard let earlier = devices.earlier[Int(d)].withUnsafeBufferPointer(write) else { return false }
        if earlier > 0 { return true }
        guard words + 1 <= RepeatShapes.keyWords else { return false }
        key[words] = 0
        words += 1
        return true
    }

    /// Empties `scratch.repeatKey` and writes the words that say which fill
    /// of the projection cache holds, the add's ids and flags, how many
    /// steps and async runs there are, where the add falls and the binding
    /// seen; returns where the key's seven fixed words start (the caller
    /// writes words 2 to 6), with room reserved to the key's limit.
    @inline(__always)
    private mutating func startRepeatKey(_ d: Int32, _ lifetime: StreamLifetime, _ info: AddedDevice,
                                         steps k: Int, addAt: Int, runs: Int) -> UnsafeMutablePointer<UInt64> {
        scratch.repeatKey.removeAll()
        scratch.repeatKey.reserve(RepeatShapes.keyWords)
        let key = scratch.repeatKey.appendReserved(uninitialized: 7)
        key[0] = UInt64(devices.projectionCaches.entry(d).pointee.fills) | UInt64(UInt32(bitPattern: info.ids)) << 32
        key[1] = (info.isVirtualFunction ? 1 : 0) | (info.autoprobe ? 2 : 0) | UInt64(k) << 8 | UInt64(addAt) << 16
            | UInt64(runs) << 24 | UInt64(UInt32(bitPattern: lifetime.observed)) << 32
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
    private mutating func appendDriverResults(_ d: Int32, _ lifetime: StreamLifetime) -> Bool {
        let candidates = devices.projectionCaches.candidates(d)
        for i in 0..<candidates.count { noteRepeatDriver(candidates[i]) }
        var words = scratch.repeatKey.count
        let key = scratch.repeatKey.base
        // Room to the key's limit (`startRepeatKey` reserved it), cut to what is written.
        _ = scratch.repeatKey.appendReserved(uninitialized: RepeatShapes.keyWords - words)
        for n in 0..<scratch.repeatDrivers.count {
            guard appendResults(d, lifetime, driver: scratch.repeatDrivers.base[n], into: key, at: &words) else { return false }
        }
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
