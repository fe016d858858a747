import BindraceTrace

/// One lifetime's projection in the streaming replay: the steps that can
/// change the device's outcome (`DeviceProjection`'s rules, on symbols).
struct CompactProjection {
    /// Steps in id order: a global step's handle, or -(i + 1) for the
    /// lifetime's own step i.
    var refs: [Int32] = []
    /// Drivers that could claim the device, in registration order.
    var candidates: [Int32] = []
    /// Drivers named for the device that never registered (in the window), by name.
    var missing: [Int32] = []
    /// Drivers configured for the device specifically.
    var configured: [Int32] = []
}

/// Buffers reused from one lifetime to the next.
struct ProjectionScratch {
    var projection = CompactProjection()
    var named: [Int32] = []
    var namedByOwn: [Int32] = []
    var matching: [Int32] = []
    var globals: [Int32] = []
    var shape: [UInt64] = []
    var codes: [Int32] = []
    var idClasses: [Int32] = []
    var values: [Int] = []
    var sorted: [Int] = []
}

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
        let step = globals[Int(h)]
        if step.preferAsyncOrSysfs { return true }
        if step.forcedSync { return false }
        let drv = Int(step.driver)
        if drivers.asyncForced[drv] != 0 { return drivers.asyncForced[drv] == 2 }
        let forced = facts!.matchFacts.asyncProbeForced(driver: drivers.names[drv])
        drivers.asyncForced[drv] = forced ? 2 : 1
        return forced
    }

    mutating func staticCandidateList(_ ids: Int32) -> [Int32] {
        let facts = self.facts!
        let pci = deviceIDs[ids]
        let names = drivers.names, moduleOf = drivers.module
        let modules = self.modules
        return candidates.staticCandidates(ids, pci: pci, facts: facts.matchFacts) { drv in
            let module = moduleOf[Int(drv)]
            return facts.context.staticMatch(driver: names[Int(drv)], module: module >= 0 ? modules[module] : nil, ids: pci) == .match
        }
    }

    /// The probe results in effect for a lifetime and a driver: its own,
    /// else those of the last earlier lifetime that probed with the driver
    /// (kept in `view` for a lifetime that has ended and was kept).
    mutating func results(_ d: Int32, _ lifetime: StreamLifetime, driver: Int32, into out: inout [Int]) {
        out.removeAll(keepingCapacity: true)
        if lifetime.hasView {
            for r in lifetime.view where r.driver == driver { out.append(Int(r.result)) }
            return
        }
        for r in lifetime.outcomes where r.driver == driver { out.append(Int(r.result)) }
        if out.isEmpty { for r in devices.earlier[Int(d)] where r.driver == driver { out.append(Int(r.result)) } }
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
        if lifetime.hasView { return lifetime.view.contains { ProbeResult.isDefer($0.result) } }
        for r in lifetime.outcomes where ProbeResult.isDefer(r.result) { return true }
        for r in devices.earlier[Int(d)] where ProbeResult.isDefer(r.result) && !lifetime.outcomes.contains(where: { $0.driver == r.driver }) {
            return true
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
        let own = lifetime.own
        var named = scratch.named
        named.removeAll(keepingCapacity: true)
        for s in own where (s.kind == .setOverride || s.kind == .bind) && s.driver >= 0 && !named.contains(s.driver) {
            named.append(s.driver)
        }
        let ids = lifetime.info?.ids ?? -1
        let defers = mayDefer(d, lifetime)
        var p = scratch.projection
        scratch.projection = CompactProjection()
        p.refs.removeAll(keepingCapacity: true)
        var chosen = scratch.globals
        chosen.removeAll(keepingCapacity: true)

        if current && devices.projectionCache[Int(d)].valid && devices.projectionCache[Int(d)].version == globalVersion
            && devices.projectionCache[Int(d)].ids == ids && devices.projectionCache[Int(d)].named == named
            && devices.projectionCache[Int(d)].mayDefer == defers && devices.projectionCache[Int(d)].windowed == windowed {
            chosen.append(contentsOf: devices.projectionCache[Int(d)].globals)
            p.candidates.removeAll(keepingCapacity: true)
            p.candidates.append(contentsOf: devices.projectionCache[Int(d)].candidates)
            p.missing.removeAll(keepingCapacity: true)
            p.missing.append(contentsOf: devices.projectionCache[Int(d)].missing)
            p.configured.removeAll(keepingCapacity: true)
            p.configured.append(contentsOf: devices.projectionCache[Int(d)].configured)
        } else {
            let dependsOnAdd = globalPart(d, lifetime, windowed: windowed, ids: ids, named: named, mayDefer: defers,
                                          candidates: &p, globals: &chosen)
            if current {
                if dependsOnAdd {
                    devices.projectionCache[Int(d)].valid = false
                } else {
                    devices.projectionCache[Int(d)] = ProjectionCache(
                        valid: true, version: globalVersion, ids: ids, named: named, mayDefer: defers, windowed: windowed,
                        globals: chosen, candidates: p.candidates, missing: p.missing, configured: p.configured)
                }
            }
        }
        // Merge the global handles (sorted, each list in id order) with the own steps by id.
        var o = 0, g = 0
        var last: Int32 = -1
        while o < own.count || g < chosen.count {
            if g < chosen.count, chosen[g] == last {
                g += 1
                continue
            }
            if o < own.count && (g >= chosen.count || own[o].id < globals[Int(chosen[g])].id) {
                p.refs.append(Int32(-(o + 1)))
                o += 1
            } else {
                last = chosen[g]
                p.refs.append(chosen[g])
                g += 1
            }
        }
        scratch.projection = p
        scratch.named = named
        scratch.globals = chosen
    }

    /// The candidates and the global steps of the projection (sorted handles
    /// into `globals`). Returns whether the choice depended on the
    /// lifetime's add (steps left out for preceding it), which a cached
    /// part cannot reproduce.
    private mutating func globalPart(_ d: Int32, _ lifetime: StreamLifetime, windowed: Bool, ids: Int32, named: [Int32], mayDefer: Bool,
                                     candidates p: inout CompactProjection, globals chosen: inout [Int32]) -> Bool {
        let endID = lifetime.endStepID
        let endEvent = lifetime.endEvent
        var dependsOnAdd = false
        var all = scratch.namedByOwn
        all.removeAll(keepingCapacity: true)
        all.append(contentsOf: named)
        var matching = scratch.matching
        matching.removeAll(keepingCapacity: true)
        if ids >= 0 {
            for h in candidates.matchingIDs(ids, pci: deviceIDs[ids]) {
                if globals[Int(h)].id >= endID { break }
                matching.append(h)
                let drv = globals[Int(h)].driver
                if !all.contains(drv) { all.append(drv) }
            }
        }
        let statics = ids >= 0 ? staticCandidateList(ids) : []
        p.candidates.removeAll(keepingCapacity: true)
        for drv in all where registeredBefore(drv, endStepID: endID, endEvent: endEvent) { p.candidates.append(drv) }
        for drv in statics where !p.candidates.contains(drv) && registeredBefore(drv, endStepID: endID, endEvent: endEvent) {
            p.candidates.append(drv)
        }
        p.candidates.sort { drivers.rank[Int($0)] < drivers.rank[Int($1)] }
        p.missing.removeAll(keepingCapacity: true)
        for drv in all where !registeredBefore(drv, endStepID: endID, endEvent: endEvent) { p.missing.append(drv) }
        p.missing.sort { drivers.names[Int($0)] < drivers.names[Int($1)] }
        p.configured.removeAll(keepingCapacity: true)
        p.configured.append(contentsOf: all)

        var anyAsync = false
        for drv in p.candidates where !anyAsync {
            for h in drivers.registrations[Int(drv)] {
                if globals[Int(h)].id >= endID { break }
                if isLive(h, endEvent: endEvent) && isAsync(h) {
                    anyAsync = true
                    break
                }
            }
        }
        let firstAdd = lifetime.own.first { $0.kind == .deviceAdd }
        for drv in p.candidates {
            for h in drivers.registrations[Int(drv)] {
                if globals[Int(h)].id >= endID { break }
                if isLive(h, endEvent: endEvent) { chosen.append(h) }
            }
        }
        chosen.append(contentsOf: matching)
        for drv in p.candidates {
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
        scratch.namedByOwn = all
        scratch.matching = matching
        return dependsOnAdd
    }
}
