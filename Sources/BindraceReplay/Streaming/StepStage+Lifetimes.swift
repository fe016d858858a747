import BindraceTrace

// Lifetimes as they end: judged through the shape memo, the most severe
// kept per device, the rest let go (their buffers serve the next lifetime).
extension StepStage {
    /// Ended lifetimes held while no start snapshot has said which match
    /// tables apply; past this many they are judged with what is known.
    static let waitingLimit = 100_000

    /// The device's current lifetime ends at its removal. It is judged
    /// where it lies; kept, it trades roles with the lifetime kept before,
    /// which then serves as the next current (the first time, an empty one).
    mutating func endLifetime(_ d: Int32, observed: Int32, endStepID: Int, endEvent: Int) {
        // The slot's address, taken again after whatever could add devices
        // (and so move the slots): deciding the facts, judging.
        var lifetime = devices.lifetimes.current(Int(d))
        let info = devices.info[Int(d)]
        lifetime.pointee.observed = observed
        lifetime.pointee.endStepID = endStepID
        lifetime.pointee.endEvent = endEvent
        lifetime.pointee.info = info
        devices.ended[Int(d)] += 1
        let ordinal = devices.ended[Int(d)]
        let generation = lifetime.pointee.generation &+ 1
        // Removed before any add and never seen bound: nothing to judge.
        guard info != nil || observed >= 0 else {
            updateEarlier(d, &lifetime.pointee)
            restart(lifetime, ordinal: ordinal, generation: generation)
            return
        }
        // The udev worker's take of the add is read only by a lifetime
        // judged in full or kept: given to it then (`attached`).
        var attached = false
        let verdict: Verdict
        if factsDecided, let info, let severity = churnedRepeat(d, lifetime, info) {
            verdict = Verdict(severity: Int(severity))
        } else {
            if let info { attachUdevAddStamp(d, devpath: info.devpath) }
            attached = true
            if !factsDecided {
                if waiting.count < Self.waitingLimit {
                    // Out of its slot, a lifetime holds no values.
                    letGoOfHeld(d)
                    keepView(d, &lifetime.pointee)
                    updateEarlier(d, &lifetime.pointee)
                    waiting.append((d, lifetime.move()))
                    lifetime.initialize(to: StreamLifetime(ordinal: ordinal, generation: generation))
                    return
                }
                decideFacts()
                lifetime = devices.lifetimes.current(Int(d))
            }
            verdict = judge(d, &lifetime.pointee, windowed: true, current: true)
            lifetime = devices.lifetimes.current(Int(d))
        }
        devices.judged[Int(d)] += 1
        if let kept = devices.chosenVerdict[Int(d)], verdict.severity > kept.severity {
            updateEarlier(d, &lifetime.pointee)
            restart(lifetime, ordinal: ordinal, generation: generation)
            return
        }
        if !attached, let info { attachUdevAddStamp(d, devpath: info.devpath) }
        keepView(d, &lifetime.pointee)
        updateEarlier(d, &lifetime.pointee)
        devices.lifetimes.swapRoles(Int(d))
        devices.chosenVerdict[Int(d)] = verdict
        restart(devices.lifetimes.current(Int(d)), ordinal: ordinal, generation: generation)
    }

    /// Gives device `d`'s current lifetime the udev worker's take of its ADD
    /// event kept for its devpath: the row, retained, or the held value,
    /// copied beside the lifetime's slot.
    @inline(__always)
    mutating func attachUdevAddStamp(_ d: Int32, devpath path: Int32) {
        if let stamp = udevAddStamp[Int(path)] {
            devices.lifetimes[current: Int(d)].udevStamp = retain(stamp)
        } else if !udevAddHeld[Int(path)].isEmpty {
            devices.lifetimes.udevStamp(current: Int(d)).pointee = udevAddHeld[Int(path)]
            devices.lifetimes[current: Int(d)].holdsUdevStamp = true
        }
    }

    /// Judges a lifetime that waited for the match facts, keeping it if it
    /// is the device's most severe so far (the latest among equals).
    mutating func choose(_ d: Int32, _ lifetime: StreamLifetime) {
        var lifetime = lifetime
        let verdict = judge(d, &lifetime, windowed: true, current: false)
        devices.judged[Int(d)] += 1
        if let kept = devices.chosenVerdict[Int(d)], verdict.severity > kept.severity {
            releaseClocks(&lifetime)
            return
        }
        // The one kept before goes (an empty one holds no clocks).
        let slot = devices.lifetimes.chosen(Int(d))
        var old = slot.move()
        slot.initialize(to: lifetime)
        releaseClocks(&old)
        devices.chosenVerdict[Int(d)] = verdict
    }

    /// Freezes the results in effect (the device's earlier results change
    /// later): `resultsInEffect`'s, into the lifetime's own buffer.
    mutating func keepView(_ d: Int32, _ lifetime: inout StreamLifetime) {
        // Empty but for a lifetime kept twice (every lifetime starts with an empty view).
        if !lifetime.view.isEmpty { lifetime.view.removeAll(keepingCapacity: true) }
        // The lifetime's results through a mutating access: passed as an
        // array, or read through a borrowed one, they were retained and
        // released (an atomic operation each); a mutating access checks
        // uniqueness instead, a plain load.
        let earlier = devices.earlier.list(Int(d))
        lifetime.outcomes.withUnsafeMutableBufferPointer { own in
            Self.appendResultsInEffect(own: UnsafeBufferPointer(own), earlier: earlier, to: &lifetime.view)
        }
        lifetime.hasView = true
    }

    /// The lifetime's results become the fallback of the next, driver by
    /// driver. (`inout` only to be read in place: a lifetime read through
    /// its slot's address was copied whole, as for `judge`.)
    @inline(__always)
    mutating func updateEarlier(_ d: Int32, _ lifetime: inout StreamLifetime) {
        guard !lifetime.outcomes.isEmpty else { return }
        lifetime.outcomes.withUnsafeBufferPointer { outcomes in
            // Usually the same single driver as last time, most often with the same result.
            let earlier = devices.earlier.list(Int(d))
            if outcomes.count == 1, earlier.count == 1, earlier[0].driver == outcomes[0].driver {
                if earlier[0].result != outcomes[0].result { devices.earlier.set(Int(d), 0, to: outcomes[0]) }
                return
            }
            devices.earlier.removeAll(Int(d)) { r in
                for k in 0..<outcomes.count where outcomes[k].driver == r.driver { return true }
                return false
            }
            devices.earlier.append(Int(d), contentsOf: outcomes)
        }
    }

    /// Lets go of a lifetime's clock references.
    @inline(__always)
    mutating func releaseClocks(_ lifetime: inout StreamLifetime) {
        for s in lifetime.own { release(s.stamp) }
        if let u = lifetime.udevStamp { release(u) }
        lifetime.udevStamp = nil
    }

    /// The lifetime in `slot` lets go of its clocks and is emptied, its
    /// buffers kept, as the device's next current lifetime.
    @inline(__always)
    private mutating func restart(_ slot: UnsafeMutablePointer<StreamLifetime>, ordinal: Int, generation: Int32) {
        releaseClocks(&slot.pointee)
        slot.pointee.reset(ordinal: ordinal, generation: generation)
    }

    /// The lifetime's verdict: from the shape memo, or judged and remembered.
    /// `lifetime` is only read: `inout` so that a lifetime in its slot is
    /// read there (borrowed through the slot's address, it was copied whole).
    mutating func judge(_ d: Int32, _ lifetime: inout StreamLifetime, windowed: Bool, current: Bool) -> Verdict {
        lifetimesJudged += 1
        if lifetime.ordinal == 0, let bound = devices.boundBeforeCapture[Int(d)],
           lifetime.observed < 0 || drivers.names[Int(lifetime.observed)] == bound {
            return .boundBeforeCapture
        }
        // A lifetime ending now may repeat one of the device's last ones.
        var repeated: UInt8?
        let keyed = current && windowed && repeatKey(d, &lifetime)
        if keyed, let severity = devices.repeats.severity(d, of: scratch.repeatKey) {
            repeatHits += 1
            guard checksRepeats else {
                projectionCacheHits += 1
                return Verdict(severity: Int(severity))
            }
            repeated = severity
        }
        // What follows reads the lifetime in full. Only a lifetime in its
        // slot holds values: a current one. (Through `lifetime`, the slot
        // this call reads: `letGoOfHeld(_:)` would write it by another path.)
        if lifetime.holdsAdd || lifetime.holdsUdevStamp {
            lifetime.letGoOfHeld(device: d, add: devices.lifetimes.held(current: Int(d)),
                                 udev: devices.lifetimes.udevStamp(current: Int(d)), in: &arena)
        }
        project(d, lifetime, windowed: windowed, current: current)
        guard scratch.projection.refs.count <= Explorations.maxSteps else {
            return analyze(d, lifetime, detail: .verdict).verdict
        }
        buildShape(d, lifetime)
        let severity: UInt8
        if let known = devices.lastShape[Int(d)]?.severity(of: scratch.key) {
            severity = known
        } else {
            if let code = shapes.find(scratch.key) {
                severity = code
            } else {
                let key = (0..<scratch.key.count).map { scratch.key.base[$0] }
                severity = UInt8(analyze(d, lifetime, detail: .verdict).verdict.severity)
                shapes.insert(key, severity)
            }
            if devices.lastShape[Int(d)] == nil { devices.lastShape[Int(d)] = LastShape() }
            devices.lastShape[Int(d)]!.remember(scratch.key, severity: severity)
        }
        if keyed { settleRepeat(d, repeated: repeated, severity: severity) }
        return Verdict(severity: Int(severity))
    }

    /// The baseline's analysis of the projected lifetime (`scratch.projection`).
    mutating func analyze(_ d: Int32, _ lifetime: StreamLifetime, detail: LifetimeEnvironment.Detail) -> DeviceResult {
        lifetimeAnalyses += 1
        let c = lifetimeCase(d, lifetime)
        return LifetimeAnalysis.analyze(c, environment: environment(detail), detail: detail)
    }

    /// What every lifetime's analysis shares. The devices with the same ids
    /// (for fixes) are the devices as last added: only asked for in full,
    /// at the end of the trace.
    mutating func environment(_ detail: LifetimeEnvironment.Detail) -> LifetimeEnvironment {
        var sameIDs: (String, PCIDeviceIDs?) -> [String] = { _, _ in [] }
        if detail == .full {
            var byIDs: [PCIDeviceIDs: [String]] = [:]
            for d in deviceOrder {
                if let added = devices.info[Int(d)], added.ids >= 0 { byIDs[deviceIDs[added.ids], default: []].append(devices.names[Int(d)]) }
            }
            sameIDs = { device, wanted in wanted.map { (byIDs[$0] ?? []).filter { $0 != device } } ?? [] }
        }
        return LifetimeEnvironment(
            traceName: name, matchFacts: matchFacts, builtins: builtins, moduleOfDriver: moduleOfDriver,
            sameIDDevices: sameIDs, memo: explorationMemo)
    }

    var startSnapshot: Snapshot? { snapshots.first { $0.phase == .start } ?? snapshots.first }

    /// Fixes the match facts: the given ones, else the start snapshot's.
    mutating func decideFacts() {
        guard !factsDecided else { return }
        factsDecided = true
        var warnings: [String] = []
        let matchFacts: any MatchFacts
        if let givenFacts {
            matchFacts = givenFacts
        } else {
            let snapshotFacts = SnapshotMatchFacts(snapshot: startSnapshot ?? Snapshot())
            warnings += snapshotFacts.problems.map { "\(name): match tables: \($0)" }
            if startSnapshot == nil || startSnapshot!.matchTables.isEmpty {
                warnings.append("\(name): the trace carries no match tables (modules.alias lines): static matches are unknown, only dynamic ids and overrides match")
            }
            matchFacts = snapshotFacts
        }
        self.matchFacts = matchFacts
        baseContext = SimulationContext(devices: [:], facts: matchFacts, outcomes: ProbeOutcomes())
        builtins = Set((startSnapshot?.builtinModules ?? []).map(DriverName.normalized))
        factWarnings = warnings
        let held = waiting
        waiting = []
        for (d, lifetime) in held { choose(d, lifetime) }
    }
}

extension Verdict {
    /// The verdict of a severity (the shape memo stores the severity).
    init(severity: Int) {
        switch severity {
        case 0: self = .raceVFIOVsNative
        case 1: self = .raceVFIOVsVFIO
        case 2: self = .raceNativeVsNative
        case 3: self = .raceBoundVsUnbound
        case 4: self = .overrideTooLate
        case 5: self = .unboundWithCandidate
        case 6: self = .deferredForever
        case 7: self = .unexplained
        case 8: self = .incomplete
        case 9: self = .boundBeforeCapture
        default: self = .deterministic
        }
    }
}
