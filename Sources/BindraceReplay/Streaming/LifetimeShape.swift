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
    mutating func observedPosition(_ ref: Int32, _ d: Int32, _ lifetime: StreamLifetime) -> Int {
        if ref < 0 {
            let s = lifetime.own[Int(-ref - 1)]
            return s.firstProbe >= 0 ? s.firstProbe : s.endIndex
        }
        let s = globals[Int(ref)]
        let cut = lifetime.endEvent
        if let fp = devices.firstProbeOfGlobal[Int(d)][ref], cut.map({ fp < $0 }) ?? true {
            return fp
        }
        return endIndex(of: s, cut: cut)
    }

    /// A step's end as the whole-trace recorder would have it at the end of
    /// the trace, cut at `cut`.
    mutating func endIndex(of s: CompactStep, cut: Int?) -> Int {
        let stillOpen = s.kind == .register && !s.closed
        if let cut { return stillOpen ? cut : min(s.endIndex, cut) }
        return stillOpen ? index : s.endIndex
    }

    mutating func staticCode(_ s: CompactStep, ids: Int32) -> UInt64 {
        guard ids >= 0 else { return 0 }
        let key = StaticKey(driver: s.driver, module: s.module, ids: ids)
        if let hit = staticCodes[key] { return UInt64(hit) }
        let match = facts!.context.staticMatch(driver: drivers.names[Int(s.driver)], module: s.module >= 0 ? modules[s.module] : nil,
                                               ids: deviceIDs[ids])
        let code: UInt8 = switch match {
        case .none: 1
        case .match: 2
        case .overrideOnly: 3
        }
        staticCodes[key] = code
        return UInt64(code)
    }

    /// Writes the shape of the projected lifetime (`scratch.projection`) into `scratch.shape`.
    mutating func buildShape(_ d: Int32, _ lifetime: StreamLifetime) {
        let projection = scratch.projection
        let refs = projection.refs
        var key = scratch.shape
        var codes = scratch.codes
        var idClasses = scratch.idClasses
        var values = scratch.values
        var sorted = scratch.sorted
        scratch.shape = []
        scratch.codes = []
        scratch.idClasses = []
        scratch.values = []
        scratch.sorted = []
        key.removeAll(keepingCapacity: true)
        codes.removeAll(keepingCapacity: true)
        idClasses.removeAll(keepingCapacity: true)
        defer {
            scratch.shape = key
            scratch.codes = codes
            scratch.idClasses = idClasses
            scratch.values = values
            scratch.sorted = sorted
        }
        func code(_ drv: Int32) -> UInt64 {
            guard drv >= 0 else { return 0 }
            if let i = codes.firstIndex(of: drv) { return UInt64(i + 1) }
            codes.append(drv)
            return UInt64(codes.count)
        }
        let info = lifetime.info
        let ids = info?.ids ?? -1
        let pci = ids >= 0 ? deviceIDs[ids] : nil
        key.append(UInt64(refs.count))
        key.append((info == nil ? 0 : 1) | (ids < 0 ? 0 : 2) | (info?.isVirtualFunction == true ? 4 : 0) | (info?.autoprobe == true ? 8 : 0))
        for ref in refs {
            let s = step(ref, own: lifetime.own)
            var word = UInt64(s.kind.rawValue) | code(s.driver) << 8
            switch s.kind {
            case .register:
                word |= staticCode(s, ids: ids) << 40 | (isAsync(ref) ? 1 << 44 : 0)
            case .addID, .removeID:
                var cls = idClasses.firstIndex(of: s.matchID) ?? -1
                if cls < 0 {
                    idClasses.append(s.matchID)
                    cls = idClasses.count - 1
                }
                let matches: UInt64 = pci.map { matchIDs[s.matchID].matches($0) } == true ? 1 : 0
                word |= (UInt64(cls) << 1 | matches) << 40
            case .setOverride, .bind, .unbind, .deviceAdd, .driversProbe, .deviceRemove:
                // The device's own steps: always this device.
                word |= (s.device == d ? 0 : 1) << 60
            case .asyncBarrier, .deferredRetry:
                break
            }
            key.append(word)
        }
        // Which steps precede which (the raw relation; ties keep id order downstream).
        for (i, ref) in refs.enumerated() {
            let b = step(ref, own: lifetime.own).stamp
            var mask: UInt64 = 0
            for (j, other) in refs.enumerated() where j != i && precedesOrEquals(step(other, own: lifetime.own).stamp, b) {
                mask |= 1 << UInt64(j)
            }
            key.append(mask)
        }
        // Observed positions with the async runs, and event indices, by rank.
        values.removeAll(keepingCapacity: true)
        for ref in refs { values.append(observedPosition(ref, d, lifetime)) }
        values.append(contentsOf: lifetime.asyncRuns)
        Self.appendRanks(of: values, sorted: &sorted, to: &key)
        key.append(UInt64(lifetime.asyncRuns.count))
        values.removeAll(keepingCapacity: true)
        for ref in refs { values.append(step(ref, own: lifetime.own).eventIndex) }
        Self.appendRanks(of: values, sorted: &sorted, to: &key)
        // The candidates, the missing drivers, the binding seen.
        key.append(UInt64(projection.candidates.count))
        for c in projection.candidates { key.append(code(c)) }
        key.append(UInt64(projection.missing.count))
        let observed = lifetime.observed
        key.append(observed < 0 ? 0 : (codes.contains(observed) ? code(observed) : 0xFFFF_FFFF))
        // Per driver: vfio or not, and the probe results a simulation draws.
        for drv in codes {
            key.append(drivers.isVFIO[Int(drv)] ? 1 : 0)
            results(d, lifetime, driver: drv, into: &values)
            key.append(UInt64(values.count))
            for r in values { key.append(UInt64(UInt32(bitPattern: Int32(r)))) }
        }
    }

    /// Each value's rank among the distinct values (equal values, equal ranks).
    static func appendRanks(of values: [Int], sorted: inout [Int], to key: inout [UInt64]) {
        sorted.removeAll(keepingCapacity: true)
        sorted.append(contentsOf: values)
        sorted.sort()
        var distinct = 0
        for v in sorted where distinct == 0 || sorted[distinct - 1] != v {
            sorted[distinct] = v
            distinct += 1
        }
        for v in values {
            var lo = 0, hi = distinct
            while lo < hi {
                let mid = (lo + hi) / 2
                if sorted[mid] < v { lo = mid + 1 } else { hi = mid }
            }
            key.append(UInt64(lo))
        }
    }
}
