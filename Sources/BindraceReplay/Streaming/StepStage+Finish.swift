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
        // Few cases at a time: a device's case (its steps as the full
        // analysis reads them, its context) costs far more than its result,
        // and a trace can name hundreds of thousands of devices.
        let full = environment(.full)
        var results: [DeviceResult] = []
        if workers > 1 && names.count > 1 {
            results = analyzeWhileBuilding(names, environment: full, workers: workers)
        } else {
            results.reserveCapacity(names.count)
            for (n, d) in names.enumerated() {
                // Global steps' events are shared by a chunk's cases, not by all (memory).
                if n % finalChunk == 0 { finalEventRefs = [:] }
                results.append(LifetimeAnalysis.analyze(finalCase(d), environment: full, detail: .full))
            }
            lifetimeAnalyses += names.count
        }
        finalEventRefs = nil
        if incomplete { for i in results.indices { LifetimeAnalysis.applyIncomplete(&results[i]) } }
        var warnings = factWarnings
        warnings += ReplayAnalyzer.traceWarnings(
            lostEvents: lostEvents, damaged: damaged, startSnapshot: startSnapshot,
            otherBusDevices: otherBusDevices, assumptions: results.reduce(0) { $0 + $1.assumptions.count })
            .map { count > 1 ? "\(name): \($0)" : $0 }
        return TraceAnalysis(name: name, devices: results, warnings: warnings, eventCount: index)
    }

    /// The devices' final analyses on `workers` threads while this one
    /// builds their cases, helping whenever a chunk's worth waits (at most
    /// about that many cases held at once). Cases are handed over 32 at a
    /// time, or sooner once a group has taken a millisecond to build: a
    /// device present all along has tens of thousands of steps, and the
    /// first part of 256 cases, which holds such devices, took 120 ms to
    /// build while the other thread waited. Each thread's explorations and
    /// matches stay known throughout.
    private mutating func analyzeWhileBuilding(_ names: [Int32], environment: LifetimeEnvironment, workers: Int) -> [DeviceResult] {
        let pool = LifetimeAnalysisPool(
            environment: environment, workers: (0..<workers).map { _ in LifetimeAnalysis.Worker(context: baseContext) },
            backlogLimit: finalChunk)
        pool.start()
        // Global steps' events are shared by this many cases, not by all (memory).
        let sharing = max(1, finalChunk / 4)
        var group: [LifetimeCase] = []
        var groupStart = DispatchTime.now().uptimeNanoseconds
        for (n, d) in names.enumerated() {
            if n % sharing == 0 { finalEventRefs = [:] }
            group.append(finalCase(d))
            let now = DispatchTime.now().uptimeNanoseconds
            if group.count == 32 || now - groupStart >= 1_000_000 || n == names.count - 1 {
                pool.add(group)
                group.removeAll(keepingCapacity: true)
                pool.helpWhileBacklogged()
                groupStart = DispatchTime.now().uptimeNanoseconds
            }
        }
        lifetimeAnalyses += names.count
        return pool.finish()
    }

    /// The device's most severe lifetime (the latest among equals), ready
    /// to be analysed in full.
    private mutating func finalCase(_ d: Int32) -> LifetimeCase {
        var last = StreamLifetime()
        swap(&last, &devices.current[Int(d)])
        defer { releaseClocks(&last) }
        let info = devices.info[Int(d)]
        last.info = info
        last.observed = max(devices.observed[Int(d)], -1)
        if let info, let stamp = udevAddStamp[Int(info.devpath)] { last.udevStamp = retain(stamp) }
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
            guard let kept = devices.chosenVerdict[Int(d)] else {
                project(d, last, windowed: windowed, current: false)
                return lifetimeCase(d, last)
            }
            if judge(d, last, windowed: windowed, current: false).severity <= kept.severity {
                project(d, last, windowed: windowed, current: false)
                return lifetimeCase(d, last)
            }
        }
        let chosen = devices.chosen[Int(d)]!
        project(d, chosen, windowed: true, current: false)
        return lifetimeCase(d, chosen)
    }
}
