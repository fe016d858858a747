import BindraceReplay
import BindraceTrace

/// Builds a `TraceTimeline` in the same streaming pass as `TraceRecorder`:
/// every event goes to the lane of its task (a tid; a tid reused after its
/// process exited gets a new lane), probes and registrations are paired into
/// slices.
public struct TimelineRecorder {
    private var name: String
    private var events: [TimelineEvent] = []
    private var lanes: [TimelineLane] = []
    private var laneOfTID: [UInt32: Int] = [:]
    private var slices: [TimelineSlice] = []
    /// Open slices per lane, innermost last.
    private var open: [Int: [Int]] = [:]

    public init(name: String) { self.name = name }

    public mutating func consume(_ chunk: EventChunk, strings: StringTable) {
        for event in chunk.events { consume(event, strings: strings) }
    }

    public mutating func consume(_ raw: RawEvent, strings: StringTable) {
        let index = events.count
        let comm = strings[raw.comm]
        let lane: Int
        if let l = laneOfTID[raw.tid] {
            lane = l
            if lanes[l].comm != comm {
                lanes[l].comm = comm
                if !lanes[l].comms.contains(comm) { lanes[l].comms.append(comm) }
            }
        } else {
            lane = lanes.count
            lanes.append(TimelineLane(pid: raw.pid, tid: raw.tid, comm: comm, comms: [comm], events: []))
            laneOfTID[raw.tid] = lane
        }
        lanes[lane].events.append(index)
        var event = TimelineEvent(index: index, timestamp: raw.timestamp, lane: lane, kind: raw.kind ?? .marker,
                                  label: "kind \(raw.kindByte)", device: nil, driver: nil, result: nil, cookie: nil, isAsync: false)
        if raw.kind != nil, let payload = Payload(raw: raw, strings: strings) {
            Self.describe(payload, into: &event)
        }
        events.append(event)
        pair(event)
        if raw.kind == .processExit && raw.pid == raw.tid {
            closeAll(lane: lane, at: index)
            laneOfTID[raw.tid] = nil
        }
    }

    public mutating func finish(edges: [HBEdge]) -> TraceTimeline {
        let crossTask = edges.filter { e in
            e.from >= 0 && e.to >= 0 && e.from < events.count && e.to < events.count && events[e.from].lane != events[e.to].lane
        }
        return TraceTimeline(name: name, events: events, lanes: lanes, edges: crossTask, slices: slices)
    }

    private mutating func pair(_ e: TimelineEvent) {
        switch e.kind {
        case .driverRegisterStart, .probeStart:
            let kind: TimelineSlice.Kind = e.kind == .probeStart ? .probe : .driverRegister
            open[e.lane, default: []].append(slices.count)
            slices.append(TimelineSlice(kind: kind, lane: e.lane, start: e.index, end: nil, driver: e.driver ?? "", device: e.device, result: nil))
        case .driverRegisterEnd, .probeEnd:
            let kind: TimelineSlice.Kind = e.kind == .probeEnd ? .probe : .driverRegister
            guard var stack = open[e.lane],
                  let pos = stack.lastIndex(where: { slices[$0].kind == kind && slices[$0].driver == e.driver && slices[$0].device == e.device })
            else { return }
            // Slices opened inside it and never closed end with it.
            for inner in stack[pos...] { slices[inner].end = e.index }
            slices[stack[pos]].result = e.result
            stack.removeSubrange(pos...)
            open[e.lane] = stack
        default:
            break
        }
    }

    private mutating func closeAll(lane: Int, at index: Int) {
        for s in open[lane] ?? [] { slices[s].end = index }
        open[lane] = nil
    }

    static func describe(_ payload: Payload, into e: inout TimelineEvent) {
        func id(_ m: PCIMatchID) -> String {
            func part(_ v: UInt32) -> String {
                if v == PCIMatchID.any { return "*" }
                let s = String(v & 0xFFFF, radix: 16)
                return String(repeating: "0", count: max(0, 4 - s.count)) + s
            }
            return part(m.vendor) + ":" + part(m.device)
        }
        switch payload {
        case .processFork(let child, let childTID, let thread):
            e.label = "\(thread ? "clone thread" : "fork") → \(child)\(childTID != child ? "/\(childTID)" : "")"
        case .processExec(let filename): e.label = "exec \(filename)"
        case .processExit(let code): e.label = "exit \(code)"
        case .processWait(let child): e.label = "wait for \(child)"
        case .moduleLoad(let module): e.label = "module_load \(module)"
        case .moduleRequest(let name, let wait): e.label = "request_module \(name)\(wait ? " (waits)" : "")"
        case .moduleInitDone(let module, let result): e.label = "module init done \(module) (\(result))"; e.result = result
        case .driverRegisterStart(let driver, _, let type):
            e.label = "driver_register \(driver) (\(type.name))"; e.driver = driver
        case .driverRegisterEnd(let driver, _, let result):
            e.label = "driver_register \(driver) returned \(result)"; e.driver = driver; e.result = result
        case .dynamicIDAdded(let driver, let m):
            e.label = "dynamic id \(id(m)) for \(driver)"; e.driver = driver
        case .deviceAdd(let a):
            e.label = "device_add \(a.device)"; e.device = a.device
        case .deviceRemove(let device, _): e.label = "device_remove \(device)"; e.device = device
        case .driverOverrideWritten(let device, let driver):
            e.label = driver.isEmpty ? "driver_override of \(device) cleared" : "driver_override \(device) = \(driver)"
            e.device = device; e.driver = driver.isEmpty ? nil : driver
        case .sysfsBind(let device, let driver, let result):
            e.label = "bind \(device) to \(driver) (sysfs) → \(result)"; e.device = device; e.driver = driver; e.result = result
        case .sysfsUnbind(let device, let driver, let result):
            e.label = "unbind \(device) from \(driver) (sysfs)"; e.device = device; e.driver = driver; e.result = result
        case .sysfsDriversProbe(let device, let result):
            e.label = "drivers_probe \(device) (sysfs)"; e.device = device; e.result = result
        case .sysfsNewID(let driver, let m): e.label = "new_id \(id(m)) for \(driver)"; e.driver = driver
        case .sysfsRemoveID(let driver, let m): e.label = "remove_id \(id(m)) from \(driver)"; e.driver = driver
        case .probeStart(let device, let driver, let isAsync):
            e.label = "probe \(device) by \(driver)\(isAsync ? " (async)" : "")"; e.device = device; e.driver = driver; e.isAsync = isAsync
        case .probeEnd(let device, let driver, let result):
            e.label = "probe \(device) by \(driver) → \(result == 0 ? "bound" : String(result))"
            e.device = device; e.driver = driver; e.result = result
        case .bound(let device, let driver): e.label = "bound \(device) to \(driver)"; e.device = device; e.driver = driver
        case .unbound(let device, let driver): e.label = "unbound \(device) from \(driver)"; e.device = device; e.driver = driver
        case .asyncScheduled(let cookie, let function, let device):
            e.label = "async_schedule \(function)\(device.isEmpty ? "" : " \(device)") #\(cookie)"; e.cookie = cookie
            if !device.isEmpty { e.device = device }
        case .asyncRunStart(let cookie): e.label = "async run #\(cookie)"; e.cookie = cookie
        case .asyncRunEnd(let cookie): e.label = "async done #\(cookie)"; e.cookie = cookie
        case .asyncSynchronize(let cookie): e.label = cookie == 0 ? "async_synchronize_full" : "async_synchronize_cookie \(cookie)"
        case .workQueued(let work, let function): e.label = "queue_work \(function)"; e.cookie = work
        case .workStart(let work, let function): e.label = "work \(function)"; e.cookie = work
        case .workEnd(let work): e.label = "work done"; e.cookie = work
        case .uevent(let action, let devpath, let seqnum, _): e.label = "uevent \(action) \(devpath) #\(seqnum)"
        case .marker(let label, let value): e.label = "marker \(label) \(value)"
        case .lost(let count): e.label = "\(count) events lost"
        }
    }
}
