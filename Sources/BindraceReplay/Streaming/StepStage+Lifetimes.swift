import BindraceTrace

// Lifetimes as they end: judged through the shape memo, the most severe
// kept per device, the rest let go (their buffers serve the next lifetime).
extension StepStage {
    /// Ended lifetimes held while no start snapshot has said which match
    /// tables apply; past this many they are judged with what is known.
    static let waitingLimit = 100_000

    /// The device's current lifetime ends at its removal.
    mutating func endLifetime(_ d: Int32, observed: Int32, endStepID: Int, endEvent: Int) {
        var lifetime = StreamLifetime()
        swap(&lifetime, &devices.current[Int(d)])
        let info = devices.info[Int(d)]
        lifetime.observed = observed
        lifetime.endStepID = endStepID
        lifetime.endEvent = endEvent
        lifetime.info = info
        if let info, let stamp = udevAddStamp[Int(info.devpath)] { lifetime.udevStamp = retain(stamp) }
        devices.ended[Int(d)] += 1
        let ordinal = devices.ended[Int(d)]
        let generation = lifetime.generation &+ 1
        // Removed before any add and never seen bound: nothing to judge.
        guard info != nil || observed >= 0 else {
            updateEarlier(d, lifetime)
            reuse(&lifetime, d, ordinal: ordinal, generation: generation)
            return
        }
        if facts == nil {
            if waiting.count < Self.waitingLimit {
                keepView(d, &lifetime)
                updateEarlier(d, lifetime)
                waiting.append((d, lifetime))
                devices.current[Int(d)] = StreamLifetime(ordinal: ordinal, generation: generation)
                return
            }
            decideFacts()
        }
        let verdict = judge(d, lifetime, windowed: true, current: true)
        devices.judged[Int(d)] += 1
        if let kept = devices.chosenVerdict[Int(d)], verdict.severity > kept.severity {
            updateEarlier(d, lifetime)
            reuse(&lifetime, d, ordinal: ordinal, generation: generation)
            return
        }
        keepView(d, &lifetime)
        updateEarlier(d, lifetime)
        var old: StreamLifetime? = lifetime
        swap(&old, &devices.chosen[Int(d)])
        devices.chosenVerdict[Int(d)] = verdict
        if var old {
            reuse(&old, d, ordinal: ordinal, generation: generation)
        } else {
            devices.current[Int(d)] = StreamLifetime(ordinal: ordinal, generation: generation)
        }
    }

    /// Judges a lifetime that waited for the match facts, keeping it if it
    /// is the device's most severe so far (the latest among equals).
    mutating func choose(_ d: Int32, _ lifetime: StreamLifetime) {
        var lifetime = lifetime
        let verdict = judge(d, lifetime, windowed: true, current: false)
        devices.judged[Int(d)] += 1
        if let kept = devices.chosenVerdict[Int(d)], verdict.severity > kept.severity {
            releaseClocks(&lifetime)
            return
        }
        if var old = devices.chosen[Int(d)] { releaseClocks(&old) }
        devices.chosen[Int(d)] = lifetime
        devices.chosenVerdict[Int(d)] = verdict
    }

    /// Freezes the results in effect (the device's earlier results change later).
    mutating func keepView(_ d: Int32, _ lifetime: inout StreamLifetime) {
        lifetime.view = resultsInEffect(d, lifetime)
        lifetime.hasView = true
    }

    /// The lifetime's results become the fallback of the next, driver by driver.
    mutating func updateEarlier(_ d: Int32, _ lifetime: StreamLifetime) {
        guard !lifetime.outcomes.isEmpty else { return }
        devices.earlier[Int(d)].removeAll { r in lifetime.outcomes.contains { $0.driver == r.driver } }
        devices.earlier[Int(d)].append(contentsOf: lifetime.outcomes)
    }

    /// Lets go of a lifetime's clock references.
    mutating func releaseClocks(_ lifetime: inout StreamLifetime) {
        for s in lifetime.own { release(s.stamp) }
        if let u = lifetime.udevStamp { release(u) }
        lifetime.udevStamp = nil
    }

    /// The lifetime's buffers become the device's next current lifetime.
    private mutating func reuse(_ lifetime: inout StreamLifetime, _ d: Int32, ordinal: Int, generation: Int32) {
        releaseClocks(&lifetime)
        lifetime.reset(ordinal: ordinal, generation: generation)
        swap(&lifetime, &devices.current[Int(d)])
    }

    /// The lifetime's verdict: from the shape memo, or judged and remembered.
    mutating func judge(_ d: Int32, _ lifetime: StreamLifetime, windowed: Bool, current: Bool) -> Verdict {
        lifetimesJudged += 1
        if lifetime.ordinal == 0, let bound = devices.boundBeforeCapture[Int(d)],
           lifetime.observed < 0 || driverNames[lifetime.observed] == bound {
            return .boundBeforeCapture
        }
        project(d, lifetime, windowed: windowed, current: current)
        guard scratch.projection.refs.count <= Explorations.maxSteps else {
            return analyze(d, lifetime, detail: .verdict).verdict
        }
        buildShape(d, lifetime)
        if let code = shapes.find(scratch.shape) { return Verdict.bySeverity[Int(code)] }
        let key = scratch.shape
        let verdict = analyze(d, lifetime, detail: .verdict).verdict
        shapes.insert(key, UInt8(verdict.severity))
        return verdict
    }

    /// The baseline's analysis of the projected lifetime (`scratch.projection`).
    mutating func analyze(_ d: Int32, _ lifetime: StreamLifetime, detail: LifetimeEnvironment.Detail) -> DeviceResult {
        lifetimeAnalyses += 1
        let c = lifetimeCase(d, lifetime)
        return LifetimeAnalysis.analyze(c, environment: environment(detail), detail: detail)
    }

    mutating func environment(_ detail: LifetimeEnvironment.Detail) -> LifetimeEnvironment {
        var sameIDs: (String, PCIDeviceIDs?) -> [String] = { _, _ in [] }
        if detail == .full {
            // Other devices with the ids, as each was last added.
            let names = deviceOrder.map { devices.names[Int($0)] }
            let ids = deviceOrder.map { d in devices.info[Int(d)].flatMap { $0.ids >= 0 ? deviceIDs[$0.ids] : nil } }
            sameIDs = { device, wanted in
                guard let wanted else { return [] }
                return zip(names, ids).compactMap { $0.0 != device && $0.1 == wanted ? $0.0 : nil }
            }
        }
        return LifetimeEnvironment(
            traceName: name, matchFacts: facts!.matchFacts, builtins: facts!.builtins, moduleOfDriver: moduleOfDriver,
            sameIDDevices: sameIDs, memo: explorationMemo)
    }

    var startSnapshot: Snapshot? { snapshots.first { $0.phase == .start } ?? snapshots.first }

    /// Fixes the match facts: the given ones, else the start snapshot's.
    mutating func decideFacts() {
        guard facts == nil else { return }
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
        facts = DecidedFacts(matchFacts: matchFacts,
                             context: SimulationContext(devices: [:], facts: matchFacts, outcomes: ProbeOutcomes()),
                             builtins: Set((startSnapshot?.builtinModules ?? []).map(DriverName.normalized)),
                             warnings: warnings)
        let held = waiting
        waiting = []
        for (d, lifetime) in held { choose(d, lifetime) }
    }
}

extension Verdict {
    /// Verdicts by severity (the shape memo stores the severity).
    static let bySeverity: [Verdict] = allCases.sorted { $0.severity < $1.severity }
}
