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
        // Answered from the index's cache without the closure's captures
        // (the context, the drivers' names and modules), whose retains and
        // releases on cold objects were most of a cached answer's cost: a
        // churned device asks again after every registration of any driver.
        if let known = candidates.cachedStaticCandidates(ids) { return known }
        let context = baseContext
        let pci = deviceIDs[ids]
        let names = drivers.names, moduleOf = drivers.module
        let modules = self.modules
        return candidates.staticCandidates(ids, pci: pci, context: context) { drv in
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
        if scratch.results.isEmpty { take(devices.earlier.list(Int(d))) }
    }

    /// Every result in effect for the lifetime, driver by driver.
    mutating func resultsInEffect(_ d: Int32, _ lifetime: StreamLifetime) -> [ProbeRecord] {
        if lifetime.hasView { return lifetime.view }
        var out: [ProbeRecord] = []
        let earlier = devices.earlier.list(Int(d))
        lifetime.outcomes.withUnsafeBufferPointer { Self.appendResultsInEffect(own: $0, earlier: earlier, to: &out) }
        return out
    }

    /// Appends the results in effect for a lifetime whose own results are
    /// `own`: those, then each earlier one of a driver it has none of.
    /// Element by element: a lifetime names a driver or two, and
    /// `append(contentsOf:)` went through a generic path that cost more
    /// than the copies.
    @inline(__always)
    static func appendResultsInEffect(own: UnsafeBufferPointer<ProbeRecord>, earlier: UnsafeBufferPointer<ProbeRecord>,
                                      to out: inout [ProbeRecord]) {
        for k in 0..<own.count { out.append(own[k]) }
        for e in 0..<earlier.count {
            var seen = false
            for k in 0..<own.count where own[k].driver == earlier[e].driver { seen = true }
            if !seen { out.append(earlier[e]) }
        }
    }

    /// Whether a result in effect is a deferral.
    @inline(__always)
    mutating func mayDefer(_ d: Int32, _ lifetime: StreamLifetime) -> Bool {
        if lifetime.hasView {
            return lifetime.view.withUnsafeBufferPointer { view in
                for i in 0..<view.count where ProbeResult.isDefer(view[i].result) { return true }
                return false
            }
        }
        let earlier = devices.earlier.list(Int(d))
        return lifetime.outcomes.withUnsafeBufferPointer { Self.mayDefer(own: $0, earlier: earlier) }
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
        if current, cacheHolds(d, ids: ids, mayDefer: defers, windowed: windowed) {
            let caches = devices.projectionCaches
            let cached = caches.globals(d), candidates = caches.candidates(d), missing = caches.missing(d), configured = caches.configured(d)
            scratch.globals.assign(copying: cached.baseAddress!, count: cached.count)
            scratch.projection.candidates.assign(copying: candidates.baseAddress!, count: candidates.count)
            scratch.projection.missing.assign(copying: missing.baseAddress!, count: missing.count)
            scratch.projection.configured.assign(copying: configured.baseAddress!, count: configured.count)
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
    /// Fields are read through the entry's pointer (a copy of the entry costs
    /// more than the check), taken again after each call that may touch `self`.
    mutating func cacheHolds(_ d: Int32, ids: Int32, mayDefer: Bool, windowed: Bool) -> Bool {
        var cache = devices.projectionCaches.entry(d)
        guard cache.pointee.valid, cache.pointee.ids == ids, cache.pointee.mayDefer == mayDefer, cache.pointee.windowed == windowed,
              Int(cache.pointee.lengths.named) == scratch.named.count, cache.pointee.failures == registrationFailures else { return false }
        let named = devices.projectionCaches.named(d)
        for i in 0..<named.count where scratch.named.base[i] != named[i] { return false }
        // What follows reads only what a global step or a failed registration
        // changes: if neither came since it last held, it holds.
        if cache.pointee.heldAt == globals.count { return true }
        if ids >= 0 && cache.pointee.driverGeneration != candidates.driverGeneration {
            // A driver registered: the static candidates of these ids may
            // have changed, or one whose registrations had all failed may
            // count again.
            let statics = staticCandidateList(ids)
            let cached = devices.projectionCaches.candidates(d)
            for drv in statics where !cached.contains(drv) { return false }
            cache = devices.projectionCaches.entry(d)
            cache.pointee.driverGeneration = candidates.driverGeneration
        }
        if ids >= 0 && cache.pointee.idGeneration != candidates.idGeneration {
            let matching = candidates.matchingIDs(ids, pci: deviceIDs[ids])
            cache = devices.projectionCaches.entry(d)
            if matching.count != cache.pointee.matchingCount { return false }
            cache.pointee.idGeneration = candidates.idGeneration
        }
        var registrations = 0
        let cached = devices.projectionCaches.candidates(d), missing = devices.projectionCaches.missing(d)
        for i in 0..<cached.count { registrations += drivers.registrationCount(cached[i]) + drivers.addIDCount(cached[i]) }
        for i in 0..<missing.count { registrations += drivers.registrationCount(missing[i]) }
        guard registrations == cache.pointee.registrations else { return false }
        if ids >= 0 && removeIDs.count != cache.pointee.removeIDs { return false }
        if (cache.pointee.anyAsync && barriers.count != cache.pointee.barriers) || (mayDefer && retries.count != cache.pointee.retries) { return false }
        cache.pointee.heldAt = globals.count
        return true
    }

    private mutating func fillCache(_ d: Int32, ids: Int32, mayDefer: Bool, windowed: Bool, anyAsync: Bool, usable: Bool) {
        devices.projectionCaches.entry(d).pointee.fills &+= 1
        guard usable else {
            devices.projectionCaches.entry(d).pointee.valid = false
            return
        }
        var registrations = 0
        let p = scratch.projection
        for i in 0..<p.candidates.count {
            let drv = p.candidates.base[i]
            registrations += drivers.registrationCount(drv) + drivers.addIDCount(drv)
        }
        for i in 0..<p.missing.count { registrations += drivers.registrationCount(p.missing.base[i]) }
        let matchingCount = ids >= 0 ? candidates.matchingIDs(ids, pci: deviceIDs[ids]).count : 0
        devices.projectionCaches.storeLists(d, named: scratch.named, globals: scratch.globals, candidates: p.candidates,
                                           missing: p.missing, configured: p.configured)
        let cache = devices.projectionCaches.entry(d)
        cache.pointee.valid = true
        cache.pointee.ids = ids
        cache.pointee.mayDefer = mayDefer
        cache.pointee.windowed = windowed
        cache.pointee.driverGeneration = candidates.driverGeneration
        cache.pointee.idGeneration = candidates.idGeneration
        cache.pointee.matchingCount = matchingCount
        cache.pointee.failures = registrationFailures
        cache.pointee.registrations = registrations
        cache.pointee.removeIDs = removeIDs.count
        cache.pointee.barriers = barriers.count
        cache.pointee.retries = retries.count
        cache.pointee.anyAsync = anyAsync
        cache.pointee.heldAt = globals.count
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
