import BindraceTrace

extension StepStage {
    @inline(__always)
    mutating func step(_ ref: Int32, own: [CompactStep]) -> CompactStep {
        ref >= 0 ? globals[Int(ref)] : own[Int(-ref - 1)]
    }

    /// Registration `h` counts for a lifetime ending at `endEvent` (nil: the trace's end).
    @inline(__always)
    mutating func isLive(_ h: Int32, endEvent: Int?) -> Bool {
        let failed = globals[Int(h)].failedAt
        return failed < 0 || (endEvent.map { failed >= $0 } ?? false)
    }

    mutating func registeredBefore(_ drv: Int32, endStepID: Int, endEvent: Int?) -> Bool {
        for h in drivers.registrations[Int(drv)] {
            if globals[Int(h)].id >= endStepID { break }
            if isLive(h, endEvent: endEvent) { return true }
        }
        return false
    }

    /// A registration probes asynchronously (prefer_async, or driver_async_probe=).
    mutating func isAsync(_ h: Int32) -> Bool {
        let step = globals.base + Int(h)
        if step.pointee.preferAsyncOrSysfs { return true }
        if step.pointee.forcedSync { return false }
        let drv = Int(step.pointee.driver)
        if drivers.asyncForced[drv] != 0 { return drivers.asyncForced[drv] == 2 }
        let forced = matchFacts.asyncProbeForced(driver: drivers.names[drv])
        drivers.asyncForced[drv] = forced ? 2 : 1
        return forced
    }

    mutating func staticCandidateList(_ ids: Int32) -> [Int32] {
        let context = baseContext
        let pci = deviceIDs[ids]
        let names = drivers.names, moduleOf = drivers.module
        let modules = self.modules
        return candidates.staticCandidates(ids, pci: pci, facts: matchFacts) { drv in
            let module = moduleOf[Int(drv)]
            return context.staticMatch(driver: names[Int(drv)], module: module >= 0 ? modules[module] : nil, ids: pci) == .match
        }
    }

    /// The probe results in effect for a lifetime and a driver: its own,
    /// else those of the last earlier lifetime that probed with the driver
    /// (kept in `view` for a lifetime that has ended and was kept).
    /// (Into `scratch.results`.)
    mutating func results(_ d: Int32, _ lifetime: StreamLifetime, driver: Int32) {
        scratch.results.removeAll()
        // Index loops over borrowed buffers: a for-in retains the array.
        func take(_ records: UnsafeBufferPointer<ProbeRecord>) {
            for i in 0..<records.count where records[i].driver == driver { scratch.results.append(records[i].result) }
        }
        if lifetime.hasView {
            lifetime.view.withUnsafeBufferPointer(take)
            return
        }
        lifetime.outcomes.withUnsafeBufferPointer(take)
        if scratch.results.isEmpty { devices.earlier[Int(d)].withUnsafeBufferPointer(take) }
    }

    /// Every result in effect for the lifetime, driver by driver.
    mutating func resultsInEffect(_ d: Int32, _ lifetime: StreamLifetime) -> [ProbeRecord] {
        if lifetime.hasView { return lifetime.view }
        var out = lifetime.outcomes
        for r in devices.earlier[Int(d)] where !lifetime.outcomes.contains(where: { $0.driver == r.driver }) { out.append(r) }
        return out
    }

    /// Whether a result in effect is a deferral.
    mutating func mayDefer(_ d: Int32, _ lifetime: StreamLifetime) -> Bool {
        func anyDefer(_ records: UnsafeBufferPointer<ProbeRecord>) -> Bool {
            for i in 0..<records.count where ProbeResult.isDefer(records[i].result) { return true }
            return false
        }
        if lifetime.hasView { return lifetime.view.withUnsafeBufferPointer(anyDefer) }
        return lifetime.outcomes.withUnsafeBufferPointer { outcomes in
            if anyDefer(outcomes) { return true }
            // An earlier result counts where this lifetime has none of its driver.
            return devices.earlier[Int(d)].withUnsafeBufferPointer { earlier in
                for i in 0..<earlier.count where ProbeResult.isDefer(earlier[i].result) {
                    var overridden = false
                    for j in 0..<outcomes.count where outcomes[j].driver == earlier[i].driver { overridden = true }
                    if !overridden { return true }
                }
                return false
            }
        }
    }

    // MARK: the projection

    /// The projection of `lifetime` of device `d` into `scratch.projection`.
    /// `windowed`: the device has been removed at least once (a lifetime's
    /// rules); else it is the whole trace of a device never removed.
    /// `current`: the lifetime ends now (every global step so far is before
    /// its end), so the device's cached global part may serve.
    mutating func project(_ d: Int32, _ lifetime: StreamLifetime, windowed: Bool, current: Bool) {
        scratch.named.removeAll()
        lifetime.own.withUnsafeBufferPointer { own in
            for i in 0..<own.count {
                let kind = own[i].kind, driver = own[i].driver
                if (kind == .setOverride || kind == .bind) && driver >= 0 && !scratch.named.contains(driver) { scratch.named.append(driver) }
            }
        }
        let ids = lifetime.info?.ids ?? -1
        let defers = mayDefer(d, lifetime)
        scratch.projection.clear()
        scratch.globals.removeAll()
        if current, let cache = devices.projectionCache[Int(d)], cacheHolds(cache, ids: ids, mayDefer: defers, windowed: windowed) {
            for h in cache.globals { scratch.globals.append(h) }
            for c in cache.candidates { scratch.projection.candidates.append(c) }
            for c in cache.missing { scratch.projection.missing.append(c) }
            for c in cache.configured { scratch.projection.configured.append(c) }
            projectionCacheHits += 1
        } else {
            let part = globalPart(d, lifetime, windowed: windowed, ids: ids, mayDefer: defers)
            if current { fillCache(d, ids: ids, mayDefer: defers, windowed: windowed, anyAsync: part.anyAsync, usable: !part.dependsOnAdd) }
        }
        // Merge the global handles (sorted, each list in id order) with the own steps by id.
        let globalCount = scratch.globals.count, handles = scratch.globals.base
        scratch.projection.refs.reserve(lifetime.own.count + globalCount)
        let steps = globals.base
        lifetime.own.withUnsafeBufferPointer { own in
            var o = 0, g = 0
            var last: Int32 = -1
            while o < own.count || g < globalCount {
                if g < globalCount, handles[g] == last {
                    g += 1
                    continue
                }
                if o < own.count && (g >= globalCount || own[o].id < steps[Int(handles[g])].id) {
                    scratch.projection.refs.appendReserved(Int32(-(o + 1)))
                    o += 1
                } else {
                    last = handles[g]
                    scratch.projection.refs.appendReserved(last)
                    g += 1
                }
            }
        }
    }

    /// Whether the device's cached global part still is what `globalPart` would compute.
    private mutating func cacheHolds(_ cache: ProjectionCache, ids: Int32, mayDefer: Bool, windowed: Bool) -> Bool {
        guard cache.valid, cache.ids == ids, cache.mayDefer == mayDefer, cache.windowed == windowed,
              cache.named.count == scratch.named.count, cache.failures == registrationFailures else { return false }
        for (i, n) in cache.named.enumerated() where scratch.named.base[i] != n { return false }
        if ids >= 0 && cache.driverGeneration != candidates.driverGeneration {
            // A driver registered: the static candidates of these ids may
            // have changed, or one whose registrations had all failed may
            // count again.
            let statics = staticCandidateList(ids)
            for drv in statics where !cache.candidates.contains(drv) { return false }
            cache.driverGeneration = candidates.driverGeneration
        }
        if ids >= 0 && cache.idGeneration != candidates.idGeneration {
            let matching = candidates.matchingIDs(ids, pci: deviceIDs[ids])
            if matching.count != cache.matchingCount { return false }
            cache.idGeneration = candidates.idGeneration
        }
        var registrations = 0
        for drv in cache.candidates { registrations += drivers.registrations[Int(drv)].count + drivers.addIDs[Int(drv)].count }
        for drv in cache.missing { registrations += drivers.registrations[Int(drv)].count }
        guard registrations == cache.registrations else { return false }
        if ids >= 0 && removeIDs.count != cache.removeIDs { return false }
        if (cache.anyAsync && barriers.count != cache.barriers) || (mayDefer && retries.count != cache.retries) { return false }
        return true
    }

    private mutating func fillCache(_ d: Int32, ids: Int32, mayDefer: Bool, windowed: Bool, anyAsync: Bool, usable: Bool) {
        guard usable else {
            devices.projectionCache[Int(d)]?.valid = false
            return
        }
        var registrations = 0
        let p = scratch.projection
        for i in 0..<p.candidates.count {
            let drv = Int(p.candidates.base[i])
            registrations += drivers.registrations[drv].count + drivers.addIDs[drv].count
        }
        for i in 0..<p.missing.count { registrations += drivers.registrations[Int(p.missing.base[i])].count }
        let cache = devices.projectionCache[Int(d)] ?? ProjectionCache()
        cache.valid = true
        cache.ids = ids
        cache.named = (0..<scratch.named.count).map { scratch.named.base[$0] }
        cache.mayDefer = mayDefer
        cache.windowed = windowed
        cache.driverGeneration = candidates.driverGeneration
        cache.idGeneration = candidates.idGeneration
        cache.matchingCount = ids >= 0 ? candidates.matchingIDs(ids, pci: deviceIDs[ids]).count : 0
        cache.failures = registrationFailures
        cache.registrations = registrations
        cache.removeIDs = removeIDs.count
        cache.barriers = barriers.count
        cache.retries = retries.count
        cache.anyAsync = anyAsync
        cache.globals = (0..<scratch.globals.count).map { scratch.globals.base[$0] }
        cache.candidates = (0..<p.candidates.count).map { p.candidates.base[$0] }
        cache.missing = (0..<p.missing.count).map { p.missing.base[$0] }
        cache.configured = (0..<p.configured.count).map { p.configured.base[$0] }
        devices.projectionCache[Int(d)] = cache
    }

    /// The candidates and the global steps of the projection (sorted handles
    /// into `scratch.globals`). Returns whether the choice depended on the
    /// lifetime's add (steps left out for preceding it), which a cached
    /// part cannot reproduce.
    private mutating func globalPart(_ d: Int32, _ lifetime: StreamLifetime, windowed: Bool, ids: Int32, mayDefer: Bool) -> (dependsOnAdd: Bool, anyAsync: Bool) {
        let endID = lifetime.endStepID
        let endEvent = lifetime.endEvent
        var dependsOnAdd = false
        let named = (0..<scratch.named.count).map { scratch.named.base[$0] }
        var all = named
        var matching: [Int32] = []
        if ids >= 0 {
            for h in candidates.matchingIDs(ids, pci: deviceIDs[ids]) {
                if globals[Int(h)].id >= endID { break }
                matching.append(h)
                let drv = globals[Int(h)].driver
                if !all.contains(drv) { all.append(drv) }
            }
        }
        let statics = ids >= 0 ? staticCandidateList(ids) : []
        var cands: [Int32] = []
        for drv in all where registeredBefore(drv, endStepID: endID, endEvent: endEvent) { cands.append(drv) }
        for drv in statics where !cands.contains(drv) && registeredBefore(drv, endStepID: endID, endEvent: endEvent) {
            cands.append(drv)
        }
        cands.sort { drivers.rank[Int($0)] < drivers.rank[Int($1)] }
        var missing: [Int32] = []
        for drv in all where !registeredBefore(drv, endStepID: endID, endEvent: endEvent) { missing.append(drv) }
        missing.sort { drivers.names[Int($0)] < drivers.names[Int($1)] }
        for c in cands { scratch.projection.candidates.append(c) }
        for c in missing { scratch.projection.missing.append(c) }
        for c in all { scratch.projection.configured.append(c) }

        var anyAsync = false
        for drv in cands where !anyAsync {
            for h in drivers.registrations[Int(drv)] {
                if globals[Int(h)].id >= endID { break }
                if isLive(h, endEvent: endEvent) && isAsync(h) {
                    anyAsync = true
                    break
                }
            }
        }
        let firstAdd = lifetime.own.first { $0.kind == .deviceAdd }
        var chosen: [Int32] = []
        for drv in cands {
            for h in drivers.registrations[Int(drv)] {
                if globals[Int(h)].id >= endID { break }
                if isLive(h, endEvent: endEvent) { chosen.append(h) }
            }
        }
        chosen.append(contentsOf: matching)
        for drv in cands {
            // Within a lifetime, a driver that can claim the device only
            // through its matching dynamic ids keeps only those (DeviceProjection).
            if windowed && !named.contains(drv) && !statics.contains(drv) { continue }
            for h in drivers.addIDs[Int(drv)] {
                if globals[Int(h)].id >= endID { break }
                if windowed, let add = firstAdd {
                    dependsOnAdd = true
                    if precedesOrEquals(globals[Int(h)].stamp, add.stamp) { continue }
                }
                if !matching.contains(h) { chosen.append(h) }
            }
        }
        if ids >= 0 {
            let pci = deviceIDs[ids]
            for h in removeIDs {
                if globals[Int(h)].id >= endID { break }
                if matchIDs[globals[Int(h)].matchID].matches(pci) { chosen.append(h) }
            }
        }
        func global(_ list: [Int32]) {
            for h in list {
                if globals[Int(h)].id >= endID { break }
                if let add = firstAdd {
                    dependsOnAdd = true
                    if precedesOrEquals(globals[Int(h)].stamp, add.stamp) { continue }
                }
                chosen.append(h)
            }
        }
        if anyAsync { global(barriers) }
        if mayDefer { global(retries) }
        chosen.sort()
        for h in chosen { scratch.globals.append(h) }
        return (dependsOnAdd, anyAsync)
    }
}
