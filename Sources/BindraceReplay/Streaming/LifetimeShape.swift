import BindraceTrace

// The shape of a lifetime: everything its verdict depends on, with drivers
// named by order of appearance instead of by name and positions by rank
// instead of by index. Two lifetimes of one shape get the same verdict
// from `LifetimeAnalysis` (the observed replay and the exploration see
// isomorphic inputs), which is what lets the streaming replay judge most
// lifetimes with one lookup.
extension StepStage {
    /// Where a step's effect on the device showed, as the observed replay
    /// orders steps (`Step.observedPosition`), cut at the lifetime's end.
    @inline(__always)
    mutating func observedPosition(_ ref: Int32, _ d: Int32, _ lifetime: StreamLifetime) -> Int {
        if ref < 0 {
            return lifetime.own.withUnsafeBufferPointer { own in
                let s = own.baseAddress! + Int(-ref - 1)
                return s.pointee.firstProbe >= 0 ? s.pointee.firstProbe : s.pointee.endIndex
            }
        }
        return observedPosition(ofGlobal: ref, d, cut: lifetime.endEvent)
    }

    /// `observedPosition` of global step `ref` for device `d`, cut at `cut`.
    @inline(__always)
    mutating func observedPosition(ofGlobal ref: Int32, _ d: Int32, cut: Int?) -> Int {
        if let fp = devices.firstProbeOfGlobal[Int(d)][ref], cut.map({ fp < $0 }) ?? true {
            return fp
        }
        let s = globals.base + Int(ref)
        return endIndex(kind: s.pointee.kind, closed: s.pointee.closed, end: s.pointee.endIndex, cut: cut)
    }

    /// A step's end as the whole-trace recorder would have it at the end of
    /// the trace, cut at `cut`.
    mutating func endIndex(of s: CompactStep, cut: Int?) -> Int {
        endIndex(kind: s.kind, closed: s.closed, end: s.endIndex, cut: cut)
    }

    @inline(__always)
    func endIndex(kind: CompactStepKind, closed: Bool, end: Int, cut: Int?) -> Int {
        let stillOpen = kind == .register && !closed
        if let cut { return stillOpen ? cut : min(end, cut) }
        return stillOpen ? index : end
    }

    /// How a registration's driver (with its module) statically matches the ids.
    mutating func staticCode(driver: Int32, module: Int32, handle: Int32, ids: Int32) -> UInt64 {
        guard ids >= 0 else { return 0 }
        // The last answer per registration: a device's lifetimes ask with the same ids.
        if Int(handle) < lastStaticCode.count, lastStaticCode[Int(handle)].ids == ids { return UInt64(lastStaticCode[Int(handle)].code) }
        let code = staticCodeLookup(driver: driver, module: module, ids: ids)
        if Int(handle) >= lastStaticCode.count { lastStaticCode.extend(to: max(Int(handle) + 1, lastStaticCode.count * 2), with: (-1, 0)) }
        lastStaticCode[Int(handle)] = (ids, UInt8(code))
        return code
    }

    private mutating func staticCodeLookup(driver: Int32, module: Int32, ids: Int32) -> UInt64 {
        let key = StaticKey(driver: driver, module: module, ids: ids)
        if let hit = staticCodes[key] { return UInt64(hit) }
        let match = baseContext.staticMatch(driver: drivers.names[Int(driver)], module: module >= 0 ? modules[module] : nil,
                                               ids: deviceIDs[ids])
        let code: UInt8 = switch match {
        case .none: 1
        case .match: 2
        case .overrideOnly: 3
        }
        staticCodes[key] = code
        return UInt64(code)
    }

    /// Writes the shape of the projected lifetime (`scratch.projection`) into `scratch.key`.
    mutating func buildShape(_ d: Int32, _ lifetime: StreamLifetime) {
        scratch.key.removeAll()
        scratch.codes.removeAll()
        scratch.idClasses.removeAll()
        scratch.positions.removeAll()
        scratch.events.removeAll()
        scratch.slots.removeAll()
        scratch.counts.removeAll()
        scratch.rows.removeAll()
        let info = lifetime.info
        let ids = info?.ids ?? -1
        // Pointers, not the buffers: a buffer's copy retains its storage.
        let refs = scratch.projection.refs.base
        let k = scratch.projection.refs.count
        let runs = lifetime.asyncRuns.count
        // Room for the fixed part at once: an append's capacity check reads
        // through the buffer's storage, and these run several times a step.
        scratch.key.reserve(4 * k + runs + 8)
        scratch.slots.reserve(k)
        scratch.rows.reserve(k)
        scratch.counts.reserve(k)
        scratch.events.reserve(k)
        scratch.positions.reserve(k + runs)
        scratch.key.appendReserved(UInt64(k))
        scratch.key.appendReserved((info == nil ? 0 : 1) | (ids < 0 ? 0 : 2) | (info?.isVirtualFunction == true ? 4 : 0) | (info?.autoprobe == true ? 8 : 0))
        // Each step: what it does (drivers by order of appearance); its
        // stamp, event and observed position are gathered for below.
        // Steps are read field by field where they lie, not copied (some 130 bytes each).
        lifetime.own.withUnsafeBufferPointer { own in
            for r in 0..<k {
                let ref = refs[r]
                let s = ref >= 0 ? UnsafePointer(globals.base + Int(ref)) : own.baseAddress! + Int(-ref - 1)
                let kind = s.pointee.kind
                var word = UInt64(kind.rawValue) | code(s.pointee.driver) << 8
                switch kind {
                case .register:
                    word |= staticCode(driver: s.pointee.driver, module: s.pointee.module, handle: ref, ids: ids) << 40 | (isAsync(ref) ? 1 << 44 : 0)
                case .addID, .removeID:
                    let matchID = s.pointee.matchID
                    var cls = -1
                    for i in 0..<scratch.idClasses.count where scratch.idClasses.base[i] == matchID {
                        cls = i
                        break
                    }
                    if cls < 0 {
                        scratch.idClasses.append(matchID)
                        cls = scratch.idClasses.count - 1
                    }
                    let matches: UInt64 = ids >= 0 && matchIDs[matchID].matches(deviceIDs[ids]) ? 1 : 0
                    word |= (UInt64(cls) << 1 | matches) << 40
                case .setOverride, .bind, .unbind, .deviceAdd, .driversProbe, .deviceRemove:
                    // The device's own steps: always this device.
                    word |= (s.pointee.device == d ? 0 : 1) << 60
                case .asyncBarrier, .deferredRetry:
                    break
                }
                scratch.key.appendReserved(word)
                scratch.slots.appendReserved(s.pointee.stamp.slot)
                scratch.counts.appendReserved(s.pointee.stamp.count)
                scratch.rows.appendReserved(s.pointee.stamp.row)
                scratch.events.appendReserved(s.pointee.eventIndex)
                scratch.positions.appendReserved(observedPosition(ref, d, lifetime))
            }
        }
        // Which steps precede which (the raw relation; ties keep id order downstream).
        let slots = scratch.slots.base, counts = scratch.counts.base, rows = scratch.rows.base
        for i in 0..<k {
            var mask: UInt64 = 0
            let row = rows[i]
            for j in 0..<k where j != i && arena.entry(row, slots[j]) >= counts[j] { mask |= 1 << UInt64(j) }
            scratch.key.appendReserved(mask)
        }
        // Events by rank, then observed positions with the async runs by rank.
        appendRanks(scratch.events)
        for run in lifetime.asyncRuns { scratch.positions.appendReserved(run) }
        appendRanks(scratch.positions)
        scratch.key.appendReserved(UInt64(runs))
        // The candidates, the missing drivers, the binding seen.
        let candidates = scratch.projection.candidates.base, candidateCount = scratch.projection.candidates.count
        scratch.key.append(UInt64(candidateCount))
        for i in 0..<candidateCount { scratch.key.append(code(candidates[i])) }
        scratch.key.append(UInt64(scratch.projection.missing.count))
        let observed = lifetime.observed
        scratch.key.append(observed < 0 ? 0 : (scratch.codes.contains(observed) ? code(observed) : 0xFFFF_FFFF))
        // Per driver: vfio or not, and the probe results a simulation draws.
        for i in 0..<scratch.codes.count {
            let drv = scratch.codes.base[i]
            scratch.key.append(drivers.isVFIO[Int(drv)] ? 1 : 0)
            results(d, lifetime, driver: drv)
            scratch.key.append(UInt64(scratch.results.count))
            for j in 0..<scratch.results.count { scratch.key.append(UInt64(UInt32(bitPattern: scratch.results.base[j]))) }
        }
    }

    /// A driver's number in the shape: its order of first appearance (0: none).
    @inline(__always)
    private mutating func code(_ drv: Int32) -> UInt64 {
        guard drv >= 0 else { return 0 }
        for i in 0..<scratch.codes.count where scratch.codes.base[i] == drv { return UInt64(i + 1) }
        scratch.codes.append(drv)
        return UInt64(scratch.codes.count)
    }

    /// Each value's rank: how many values are below it. Equal ranks for
    /// equal values, and the ranks order as the values do, which is all a
    /// shape needs of positions.
    private mutating func appendRanks(_ values: PlainBuffer<Int>) {
        let n = values.count
        for i in 0..<n {
            let v = values.base[i]
            var rank = 0
            for j in 0..<n where values.base[j] < v { rank += 1 }
            scratch.key.appendReserved(UInt64(rank))
        }
    }
}

extension PlainBuffer where Element: Equatable {
    func contains(_ value: Element) -> Bool {
        for i in 0..<count where base[i] == value { return true }
        return false
    }
}
