import BindraceReplay
import BindraceTrace

/// A race as the timeline shows it: the two unordered events whose order
/// decides the device's driver.
public struct TimelineRace: Hashable, Sendable {
    /// Index into `TimelineFocus.devices`.
    public var device: Int
    /// Event indices in the trace, `a` being the first explanation point.
    public var a: Int
    public var b: Int
}

/// What of a timeline matters for a report: the devices shown, the events
/// and lanes that concern them, the races and the happens-before edges
/// leading to the racing events (the causal chains that exist — and show
/// that none joins the two).
public struct TimelineFocus: Sendable {
    /// The devices that matter, in the analysis' order (most severe first).
    public var devices: [DeviceResult]
    /// Event index → indices into `devices` the event concerns.
    public var eventDevices: [Int: [Int]]
    /// Lanes shown by default: those with events of a device that needs
    /// attention (see `needsAttention`), explanation points, causal edges.
    public var relevantLanes: Set<Int>
    /// Lanes with events of any shown device (the device filter reveals them).
    public var deviceLanes: Set<Int>
    public var races: [TimelineRace]
    /// Explanation points resolved in this trace: event index → (device, role).
    public var points: [Int: [(device: Int, role: String)]]
    /// Cross-task edges on the causal chains of the explanation points.
    public var edges: [HBEdge]

    /// Default lanes beyond those of the explanations (see `init`).
    public static let maxDefaultLanes = 60

    /// Edges followed backwards from each explanation point, nearest first.
    public static let edgesPerPoint = 12

    /// A device whose card is shown up front and whose tasks are shown by
    /// default: not deterministic, or a vfio driver is involved.
    public static func needsAttention(_ d: DeviceResult, showAll: Bool = false) -> Bool {
        showAll || d.verdict != .deterministic || d.feasibleWinners.contains { $0.map(DriverName.isVFIO) == true }
    }

    public init(result: AnalysisResult, timeline: TraceTimeline, showAll: Bool = false) {
        let devices = result.devices.filter(\.matters)
        self.devices = devices
        let attention = Set(devices.indices.filter { Self.needsAttention(devices[$0], showAll: showAll) })
        let problems = Set(devices.indices.filter { devices[$0].verdict != .deterministic })
        var problemLanes = Set<Int>()
        var byName: [String: Int] = [:]
        var byDriver: [String: [Int]] = [:]
        for (i, d) in devices.enumerated() {
            byName[d.device] = i
            for driver in Set(d.candidates + d.feasibleWinners.compactMap { $0 } + [d.observedWinner].compactMap { $0 }) {
                byDriver[driver, default: []].append(i)
            }
        }
        var eventDevices: [Int: [Int]] = [:]
        var relevant = Set<Int>()
        var deviceLanes = Set<Int>()
        for e in timeline.events {
            var ds: [Int] = []
            if let device = e.device, let i = byName[device] { ds.append(i) }
            if e.device == nil, let driver = e.driver, let list = byDriver[driver] { ds += list }
            if !ds.isEmpty {
                eventDevices[e.index] = ds
                deviceLanes.insert(e.lane)
                if ds.contains(where: attention.contains) { relevant.insert(e.lane) }
                if ds.contains(where: problems.contains) { problemLanes.insert(e.lane) }
            }
        }
        var races: [TimelineRace] = []
        var points: [Int: [(device: Int, role: String)]] = [:]
        var starts: [Int] = []
        for (i, d) in devices.enumerated() {
            guard let explanation = d.explanation else { continue }
            let resolved = explanation.points.compactMap { p in timeline.event(for: p.event).map { ($0.index, p.role) } }
            for (index, role) in resolved {
                points[index, default: []].append((i, role))
                if !(eventDevices[index] ?? []).contains(i) { eventDevices[index, default: []].append(i) }
                starts.append(index)
            }
            if d.verdict.isRace, resolved.count >= 2 {
                races.append(TimelineRace(device: i, a: resolved[0].0, b: resolved[1].0))
            }
        }
        let edges = Self.causalEdges(to: starts, in: timeline)
        var chains = Set(starts.map { timeline.events[$0].lane })
        for e in edges {
            chains.insert(timeline.events[e.from].lane)
            chains.insert(timeline.events[e.to].lane)
        }
        self.eventDevices = eventDevices
        self.deviceLanes = deviceLanes.union(relevant).union(chains)
        // Collapse: the tasks of the explanations always show; then the tasks
        // of devices with findings, then those of the other vfio devices,
        // each group only while the page stays under `maxDefaultLanes`.
        var shown = chains
        for group in [problemLanes, relevant] where shown.union(group).count <= Self.maxDefaultLanes {
            shown.formUnion(group)
        }
        self.relevantLanes = shown
        self.races = races
        self.points = points
        self.edges = edges
    }

    /// Walks happens-before backwards from each event: the cross-task edges
    /// into its task before it, then into the tasks those come from, nearest
    /// first, at most `edgesPerPoint` per start.
    static func causalEdges(to starts: [Int], in timeline: TraceTimeline) -> [HBEdge] {
        guard !starts.isEmpty, !timeline.edges.isEmpty else { return [] }
        var incoming: [Int: [HBEdge]] = [:]
        for e in timeline.edges { incoming[timeline.events[e.to].lane, default: []].append(e) }
        for k in incoming.keys { incoming[k]!.sort { $0.to > $1.to } }
        var chosen: [HBEdge] = []
        var seen = Set<HBEdge>()
        for start in starts {
            var queue = [start]
            var visitedUpTo: [Int: Int] = [:]
            var taken = 0
            var head = 0
            while head < queue.count, taken < edgesPerPoint {
                let at = queue[head]
                head += 1
                let lane = timeline.events[at].lane
                let floor = visitedUpTo[lane] ?? -1
                guard at > floor else { continue }
                visitedUpTo[lane] = at
                for e in incoming[lane] ?? [] where e.to <= at && e.to > floor {
                    if seen.insert(e).inserted { chosen.append(e) }
                    taken += 1
                    queue.append(e.from)
                    if taken >= edgesPerPoint { break }
                }
            }
        }
        return chosen
    }
}
