/// What `bindrace inspect` shows: the trace's shape, without analysis.
public struct TraceSummary: Sendable, Codable, Hashable {
    public struct SnapshotSummary: Sendable, Codable, Hashable {
        public var phase: String
        public var kernelRelease: String
        public var commandLine: String
        public var loadedModules: Int
        public var pciDevices: Int
        public var probesAttached: Int
        public var probesTotal: Int
        /// Probes that did not attach, with why: what the analysis could not see.
        public var probesMissing: [String]

        enum CodingKeys: String, CodingKey {
            case phase
            case kernelRelease = "kernel_release"
            case commandLine = "command_line"
            case loadedModules = "loaded_modules"
            case pciDevices = "pci_devices"
            case probesAttached = "probes_attached"
            case probesTotal = "probes_total"
            case probesMissing = "probes_missing"
        }
    }

    public struct Diagnostic: Sendable, Codable, Hashable {
        public var severity: String
        public var offset: Int?
        public var line: Int?
        public var chunk: Int?
        public var message: String
    }

    public var encoding: String
    public var eventsPerChunk: Int
    public var events: UInt64 = 0
    public var chunks = 0
    /// Count per event kind name, only kinds that occur.
    public var eventsByKind: [String: UInt64] = [:]
    public var firstTimestamp: UInt64?
    public var lastTimestamp: UInt64?
    public var tasks = 0
    public var processes = 0
    public var devices: [String] = []
    public var drivers: [String] = []
    /// Events the kernel dropped, per CPU (from `lost` records).
    public var lostEventsByCPU: [String: UInt64] = [:]
    public var snapshots: [SnapshotSummary] = []
    /// Whether the binary trace had its end chunk (nil for JSONL).
    public var complete: Bool?
    public var diagnostics: [Diagnostic] = []

    public var durationNanoseconds: UInt64? {
        guard let first = firstTimestamp, let last = lastTimestamp, last >= first else { return nil }
        return last - first
    }

    public var damaged: Bool { diagnostics.contains { $0.severity == TraceDiagnostic.Severity.damage.rawValue } }

    enum CodingKeys: String, CodingKey {
        case encoding
        case eventsPerChunk = "events_per_chunk"
        case events, chunks
        case eventsByKind = "events_by_kind"
        case firstTimestamp = "first_timestamp_ns"
        case lastTimestamp = "last_timestamp_ns"
        case tasks, processes, devices, drivers
        case lostEventsByCPU = "lost_events_by_cpu"
        case snapshots, complete, diagnostics
    }

    /// Reads the whole input once.
    public init<Source>(reading input: inout TraceInput<Source>) throws(TraceError) {
        encoding = input.encoding.rawValue
        eventsPerChunk = input.eventsPerChunk
        var kinds = [UInt64](repeating: 0, count: 256)
        var tids = Set<UInt32>()
        var pids = Set<UInt32>()
        var deviceIDs = Set<StringID>()
        var driverIDs = Set<StringID>()
        var lost: [UInt16: UInt64] = [:]
        while let item = try input.next() {
            switch item {
            case .events(let chunk):
                chunks += 1
                for event in chunk.events {
                    kinds[Int(event.kindByte)] += 1
                    if firstTimestamp == nil { firstTimestamp = event.timestamp }
                    firstTimestamp = min(firstTimestamp!, event.timestamp)
                    lastTimestamp = max(lastTimestamp ?? 0, event.timestamp)
                    tids.insert(event.tid)
                    pids.insert(event.pid)
                    switch event.kind {
                    case .deviceAdd: deviceIDs.insert(event.a0)
                    case .driverRegisterStart: driverIDs.insert(event.a1)
                    case .lost: lost[event.cpu, default: 0] += event.a4
                    default: break
                    }
                }
                events += UInt64(chunk.events.count)
            case .snapshot(let snapshot, _, _):
                snapshots.append(SnapshotSummary(
                    phase: snapshot.phase.rawValue, kernelRelease: snapshot.kernelRelease,
                    commandLine: snapshot.commandLine, loadedModules: snapshot.loadedModules.count,
                    pciDevices: snapshot.pciDevices.count,
                    probesAttached: snapshot.probes.filter(\.attached).count, probesTotal: snapshot.probes.count,
                    probesMissing: snapshot.probes.filter { !$0.attached }.map { $0.detail.isEmpty ? $0.name : "\($0.name) (\($0.detail))" }))
            }
        }
        for kind in EventKind.allCases where kinds[Int(kind.rawValue)] > 0 {
            eventsByKind[kind.name] = kinds[Int(kind.rawValue)]
        }
        tasks = tids.count
        processes = pids.count
        let strings = input.strings
        devices = deviceIDs.map { strings[$0] }.sorted()
        drivers = driverIDs.map { strings[$0] }.sorted()
        lostEventsByCPU = Dictionary(uniqueKeysWithValues: lost.map { (String($0.key), $0.value) })
        complete = input.binaryStatistics?.endSeen
        diagnostics = input.diagnostics.map {
            Diagnostic(severity: $0.severity.rawValue, offset: $0.offset, line: $0.line, chunk: $0.chunk, message: $0.message)
        }
    }
}
