import BindraceTrace

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
        // In chunks: a device's case (its steps as the full analysis reads
        // them, its context) costs far more than its result, and a trace can
        // name hundreds of thousands of devices.
        var results: [DeviceResult] = []
        results.reserveCapacity(names.count)
        let full = environment(.full)
        // Each thread's explorations and matches stay known from one chunk to the next.
        let threads = workers > 1 ? (0..<workers).map { _ in LifetimeAnalysis.Worker(context: baseContext) } : []
        var start = 0
        while start < names.count {
            let end = min(start + finalChunk, names.count)
            // Shared by the chunk's cases only, or it would hold every global step's event.
            finalEventRefs = [:]
            let cases = names[start..<end].map { finalCase($0) }
            results += LifetimeAnalysis.analyzeAll(cases, environment: full, workers: threads)
            lifetimeAnalyses += cases.count
            start = end
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
            let verdict = judge(d, last, windowed: windowed, current: false)
            if devices.chosenVerdict[Int(d)].map({ verdict.severity <= $0.severity }) ?? true {
                project(d, last, windowed: windowed, current: false)
                return lifetimeCase(d, last)
            }
        }
        let chosen = devices.chosen[Int(d)]!
        project(d, chosen, windowed: true, current: false)
        return lifetimeCase(d, chosen)
    }
}
