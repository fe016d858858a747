import BindraceTrace
import Dispatch

// The end of the trace: each device's last lifetime judged, its most severe
// lifetime analysed in full, and the trace's warnings.
extension StepStage {
    /// The trace's analysis (`diagnostics`: the reader's losses and
    /// warnings; `count`: traces analysed together, whose warnings then
    /// name their trace, as `ReplayAnalyzer.analyzeTrace` does).
    /// `workers`: threads for the final analyses (one per device, independent).
    public mutating func finish(diagnostics: [TraceDiagnostic] = [], of count: Int = 1, workers: Int = 1) -> TraceAnalysis {
        decideFacts()
        let damaged = diagnostics.contains { $0.severity == .damage }
        let incomplete = lostEvents > 0 || damaged
        var names = deviceOrder
        // A device bound but never added: present before the capture (and
        // absent from its snapshot).
        let unlisted = (0..<devices.count).filter { d in
            !devices.listed[d] && devices.observed[d] != -2 && !otherBusDevices.contains(devices.names[d]) && PCIAddress.looksLike(devices.names[d])
        }
        names += unlisted.sorted { devices.names[$0] < devices.names[$1] }.map { Int32($0) }
        var results = analyzeWhileBuilding(names, environment: environment(.full), workers: max(1, workers))
        finalEventRefs.stop()
        if incomplete { for i in results.indices { LifetimeAnalysis.applyIncomplete(&results[i]) } }
        var warnings = factWarnings
        warnings += ReplayAnalyzer.traceWarnings(
            lostEvents: lostEvents, damaged: damaged, startSnapshot: startSnapshot,
            otherBusDevices: otherBusDevices, assumptions: results.reduce(0) { $0 + $1.assumptions.count })
            .map { count > 1 ? "\(name): \($0)" : $0 }
        return TraceAnalysis(name: name, devices: results, warnings: warnings, eventCount: index)
    }

    /// Cases waiting for analysis, in chunks, before the builder helps: a
    /// heavy case (`FinalBuildOrder`) takes as long to build as a thousand
    /// light ones take to analyse, so one chunk's worth left the other
    /// thread idle while it was built.
    static let finalBacklogChunks = 4
    /// And at most this many steps in them: the cases of devices never
    /// removed hold every global step each (32,468 on the 100M-event trace),
    /// and a trace whose devices are all such would otherwise hold four
    /// chunks of them.
    static let finalBacklogSteps = 1 << 17

    /// The devices' final analyses on `workers` threads while this one
    /// builds their cases, helping whenever more wait than it should hold:
    /// a few chunks' worth with other threads to take them, none on its own (a
    /// device's case, its steps as the full analysis reads them and its
    /// context, costs far more than its result, and a trace can name
    /// hundreds of thousands of devices). Cases are handed over 32 at a
    /// time, or sooner once a group has taken a millisecond to build: a
    /// device present all along has tens of thousands of steps, and the
    /// first 256 cases, which hold such devices, took 120 ms to build while
    /// the other thread waited (such cases are now built among the others,
    /// `FinalBuildOrder`). Each thread's explorations and matches stay
    /// known throughout; this thread's are the stream's.
    private mutating func analyzeWhileBuilding(_ names: [Int32], environment: LifetimeEnvironment, workers: Int) -> [DeviceResult] {
        let pool = LifetimeAnalysisPool(
            environment: environment,
            workers: (0..<workers).map { w in
                w == 0 ? LifetimeAnalysis.Worker(context: baseContext, memo: explorationMemo) : LifetimeAnalysis.Worker(context: baseContext)
            },
            backlogLimit: workers > 1 ? Self.finalBacklogChunks * finalChunk : 0,
            backlogStepLimit: Self.finalBacklogSteps)
        pool.start()
        var group: [LifetimeCase] = []
        var positions: [Int] = []
        var groupStart = DispatchTime.now().uptimeNanoseconds
        // A device never removed is projected over the whole trace.
        let order = FinalBuildOrder.order(heavy: names.map { d in
            devices.listed[Int(d)] && devices.info[Int(d)] != nil && devices.ended[Int(d)] == 0
        })
        for (n, position) in order.enumerated() {
            // Global steps' events are shared by a chunk's cases, not by all (memory).
            if n % finalChunk == 0 { finalEventRefs.startChunk() }
            group.append(finalCase(names[position]))
            positions.append(position)
            if group.count == 32 || DispatchTime.now().uptimeNanoseconds - groupStart >= 1_000_000 || n == names.count - 1 {
                // Each result in its device's place, whatever the order built.
                pool.add(group, at: positions)
                group.removeAll(keepingCapacity: true)
                positions.removeAll(keepingCapacity: true)
                pool.helpWhileBacklogged()
                groupStart = DispatchTime.now().uptimeNanoseconds
            }
        }
        lifetimeAnalyses += names.count
        let results = pool.finish()
        finalPool = pool
        return results
    }

    /// The device's most severe lifetime (the latest among equals), ready
    /// to be analysed in full.
    private mutating func finalCase(_ d: Int32) -> LifetimeCase {
        let info = devices.info[Int(d)]
        if let info { attachUdevAddStamp(d, devpath: info.devpath) }
        // Read in full from here on, and out of their slots: no values held.
        letGoOfHeld(d)
        letGoOfHeld(d, chosen: true)
        var last = StreamLifetime()
        swap(&last, &devices.lifetimes[current: Int(d)])
        defer { releaseClocks(&last) }
        last.info = info
        last.observed = max(devices.observed[Int(d)], -1)
        guard devices.listed[Int(d)], info != nil else {
            // Never added: only what the trace showed bound.
            scratch.projection.clear()
            return lifetimeCase(d, last)
        }
        let windowed = devices.ended[Int(d)] > 0
        let hasLast = !windowed || !last.own.isEmpty || devices.judged[Int(d)] == 0
        if hasLast {
            // With no lifetime kept before, the last is the one reported whatever
            // its verdict: not judged, which for a device present all along
            // (tens of thousands of steps) cost as much as building its case.
            if devices.chosenVerdict[Int(d)].map({ judge(d, &last, windowed: windowed, current: false).severity <= $0.severity }) ?? true {
                project(d, last, windowed: windowed, current: false)
                return lifetimeCase(d, last)
            }
        }
        precondition(devices.chosenVerdict[Int(d)] != nil, "a device judged before has a lifetime kept")
        let chosen = devices.lifetimes[chosen: Int(d)]
        project(d, chosen, windowed: true, current: false)
        return lifetimeCase(d, chosen)
    }
}
