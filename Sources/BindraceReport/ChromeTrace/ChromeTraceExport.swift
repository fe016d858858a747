import BindraceReplay
import BindraceTrace

/// `bindrace export --format chrome-trace`: a trace as Chrome trace event
/// JSON. Each task is a thread (pid/tid, named from its comm); driver
/// registrations and probes are B/E slices (always balanced: a slice the
/// trace never ends is closed at the task's last event); other events are
/// instants; the happens-before edges leading to each explanation's events
/// are flow arrows (s → f), and the two racing events of each race are
/// marked slices in category `race`.
public enum ChromeTraceExport {
    public static func events(_ timeline: TraceTimeline, result: AnalysisResult) -> [ChromeTraceEvent] {
        let focus = TimelineFocus(result: result, timeline: timeline)
        var out: [ChromeTraceEvent] = []
        let lanes = timeline.lanes
        func thread(_ lane: Int) -> (UInt32, UInt32) { (lanes[lane].pid, lanes[lane].tid) }

        // Names and order: tasks that concern a shown device first.
        var processNamed = Set<UInt32>()
        let order = Array(lanes.indices).filter { focus.relevantLanes.contains($0) } + Array(lanes.indices).filter { !focus.relevantLanes.contains($0) }
        for (rank, lane) in order.enumerated() {
            let l = lanes[lane]
            if processNamed.insert(l.pid).inserted {
                let leader = lanes.first { $0.pid == l.pid && $0.tid == l.pid } ?? l
                out.append(ChromeTraceEvent(name: "process_name", category: "__metadata", phase: "M", timestamp: 0, pid: l.pid, tid: l.pid,
                                            args: [("name", "\(leader.comm) \(l.pid)")]))
                out.append(ChromeTraceEvent(name: "process_sort_index", category: "__metadata", phase: "M", timestamp: 0, pid: l.pid, tid: l.pid,
                                            extra: [("args", "{\"sort_index\":\(rank)}")]))
            }
            out.append(ChromeTraceEvent(name: "thread_name", category: "__metadata", phase: "M", timestamp: 0, pid: l.pid, tid: l.tid,
                                        args: [("name", l.comms.joined(separator: " → "))]))
        }

        // Slices, per lane in nesting order.
        let lastOfLane = lanes.map { l in l.events.last.map { timeline.events[$0].timestamp } ?? 0 }
        var slicesByLane: [Int: [TimelineSlice]] = [:]
        for s in timeline.slices { slicesByLane[s.lane, default: []].append(s) }
        for lane in order {
            guard let slices = slicesByLane[lane] else { continue }
            let (pid, tid) = thread(lane)
            // Sweep in event order with a stack so that E events come out nested.
            var marks: [(index: Int, isEnd: Bool, slice: Int)] = []
            for (i, s) in slices.enumerated() {
                marks.append((s.start, false, i))
                marks.append((s.end ?? Int.max, true, i))
            }
            marks.sort { ($0.index, $0.isEnd ? 0 : 1, $0.isEnd ? -$0.slice : $0.slice) < ($1.index, $1.isEnd ? 0 : 1, $1.isEnd ? -$1.slice : $1.slice) }
            var lastTS: UInt64 = 0
            for m in marks {
                let s = slices[m.slice]
                let start = timeline.events[s.start]
                let name = s.kind == .driverRegister ? "driver_register \(s.driver)" : "probe \(s.device ?? "?") \(s.driver)"
                if !m.isEnd {
                    let ts = max(start.timestamp, lastTS)
                    lastTS = ts
                    out.append(ChromeTraceEvent(name: name, category: s.kind.rawValue, phase: "B", timestamp: ts, pid: pid, tid: tid,
                                                args: [("driver", s.driver), ("device", s.device ?? "")]))
                } else {
                    var ts = s.end.map { timeline.events[$0].timestamp } ?? max(lastOfLane[lane], start.timestamp)
                    ts = max(ts, lastTS)
                    lastTS = ts
                    var args: [(String, String)] = []
                    if let r = s.result { args.append(("result", String(r))) }
                    if s.end == nil { args.append(("note", "no end in the trace")) }
                    out.append(ChromeTraceEvent(name: name, category: s.kind.rawValue, phase: "E", timestamp: ts, pid: pid, tid: tid, args: args))
                }
            }
        }

        // Instants; flow endpoints and racing events become short slices so
        // that flow arrows have a slice to bind to.
        var raceName: [Int: String] = [:]
        for r in focus.races {
            let device = focus.devices[r.device].device
            raceName[r.a] = "RACE \(device)"
            raceName[r.b] = "RACE \(device)"
        }
        var endpoints = Set<Int>()
        for e in focus.edges { endpoints.insert(e.from); endpoints.insert(e.to) }
        for p in focus.points.keys { endpoints.insert(p) }
        for e in timeline.events {
            let isSliceMark = e.kind == .driverRegisterStart || e.kind == .driverRegisterEnd || e.kind == .probeStart || e.kind == .probeEnd
            let (pid, tid) = thread(e.lane)
            var args: [(String, String)] = [("kind", e.kind.name), ("event_index", String(e.index))]
            for p in focus.points[e.index] ?? [] { args.append(("role", "\(focus.devices[p.device].device): \(p.role)")) }
            if isSliceMark, let race = raceName[e.index] {
                // The slice it starts or ends carries the flows; mark the race on it.
                out.append(ChromeTraceEvent(name: "\(race): \(e.label)", category: "race", phase: "i", timestamp: e.timestamp, pid: pid, tid: tid,
                                            args: args, extra: [("s", "\"t\"")]))
            } else if endpoints.contains(e.index) && !isSliceMark {
                // Up to 1 µs, never past the task's next event.
                let next = nextTimestamp(after: e, in: timeline)
                let dur = min(1000, next.map { $0 > e.timestamp ? ($0 - e.timestamp) / 2 : 0 } ?? 1000)
                let name = raceName[e.index].map { "\($0): \(e.label)" } ?? e.label
                out.append(ChromeTraceEvent(name: name, category: raceName[e.index] != nil ? "race" : "decisive", phase: "X",
                                            timestamp: e.timestamp, duration: dur, pid: pid, tid: tid, args: args))
            } else if !isSliceMark {
                out.append(ChromeTraceEvent(name: e.label, category: e.kind.name, phase: "i", timestamp: e.timestamp, pid: pid, tid: tid,
                                            args: args, extra: [("s", "\"t\"")]))
            }
        }

        // Flow arrows for the happens-before edges into the decisive events.
        for (i, edge) in focus.edges.enumerated() {
            let from = timeline.events[edge.from], to = timeline.events[edge.to]
            let (fp, ft) = thread(from.lane), (tp, tt) = thread(to.lane)
            let name = "happens-before: \(edge.rule.rawValue)"
            out.append(ChromeTraceEvent(name: name, category: "happens-before", phase: "s", timestamp: from.timestamp, pid: fp, tid: ft, id: i + 1))
            out.append(ChromeTraceEvent(name: name, category: "happens-before", phase: "f", timestamp: max(to.timestamp, from.timestamp), pid: tp, tid: tt,
                                        id: i + 1, extra: [("bp", "\"e\"")]))
        }
        return out
    }

    static func nextTimestamp(after e: TimelineEvent, in timeline: TraceTimeline) -> UInt64? {
        let lane = timeline.lanes[e.lane].events
        var lo = 0, hi = lane.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if lane[mid] <= e.index { lo = mid + 1 } else { hi = mid }
        }
        return lo < lane.count ? timeline.events[lane[lo]].timestamp : nil
    }

    /// The whole document: one event per line, so that a large trace stays
    /// diffable and greppable.
    public static func render(_ timeline: TraceTimeline, result: AnalysisResult) -> String {
        let list = events(timeline, result: result)
        var out = "{\"traceEvents\":[\n"
        for (i, e) in list.enumerated() {
            out += e.json
            out += i + 1 < list.count ? ",\n" : "\n"
        }
        out += "],\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"bindrace\",\"trace\":"
        JSONOutput.writeString(timeline.name, to: &out)
        out += "}}\n"
        return out
    }
}
