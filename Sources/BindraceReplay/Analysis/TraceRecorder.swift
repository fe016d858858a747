import BindraceTrace

/// Everything the replay keeps from one trace, gathered in one streaming
/// pass: steps (driver-core operations) with their happens-before stamps,
/// devices, probe outcomes, observed bindings. Memory grows with devices,
/// drivers and steps, not with the number of events: process, scheduler and
/// workqueue traffic only moves clocks.
public struct TraceFacts {
    public var name: String
    public var steps: [Step] = []
    public var devices: [String: DeviceInfo] = [:]
    public var deviceOrder: [String] = []
    public var outcomes = ProbeOutcomes()
    /// Last binding the trace showed per device (bound/unbound, probe_end 0);
    /// an entry with a nil value means "seen unbound".
    public var observedBinding: [String: String?] = [:]
    /// Observed async probe runs per device (async_run_start positions).
    public var asyncRuns: [String: [Int]] = [:]
    /// Probe type each driver registered with.
    public var probeTypes: [String: ProbeType] = [:]
    /// Module whose init registered each driver, where seen.
    public var moduleOfDriver: [String: String] = [:]
    public var lostEvents: UInt64 = 0
    public var eventCount = 0
    public var snapshots: [Snapshot] = []
    public var diagnostics: [TraceDiagnostic] = []
    public var rulesSeen: Set<HBRule> = []
    public var edges: [HBEdge] = []
    public var taskSlots = 0
    /// Per devpath: the stamp of a udev worker taking the device's first
    /// ADD uevent (the earliest point a udev rule can act on it).
    public var udevAddStamp: [String: ClockStamp] = [:]
    /// Steps whose registration failed (driver_register_end != 0).
    public var failedRegistrations: Set<Int> = []

    public init(name: String) { self.name = name }

    public var startSnapshot: Snapshot? { snapshots.first { $0.phase == .start } ?? snapshots.first }
    public var endSnapshot: Snapshot? { snapshots.last { $0.phase == .end } }
    public var hasDamage: Bool { diagnostics.contains { $0.severity == .damage } }
}

/// The streaming pass. Feed chunks and snapshots in order, then `finish`.
public struct TraceRecorder {
    public private(set) var facts: TraceFacts
    private var hb: HappensBeforeTracker
    private var index = 0
    /// Step each task is in the middle of (probes it does belong to it).
    private var openStep: [UInt32: Int] = [:]
    private var loadingModule: [UInt32: String] = [:]
    private var cookieDevice: [UInt64: String] = [:]

    public init(name: String, recordsEdges: Bool = false) {
        facts = TraceFacts(name: name)
        hb = HappensBeforeTracker(recordsEdges: recordsEdges)
    }

    public mutating func consume(_ chunk: EventChunk, strings: StringTable) {
        for (i, event) in chunk.events.enumerated() { consume(event, strings: strings, location: chunk.location(of: i)) }
    }

    public mutating func consume(snapshot: Snapshot) { facts.snapshots.append(snapshot) }

    public mutating func finish(diagnostics: [TraceDiagnostic] = []) -> TraceFacts {
        facts.diagnostics = diagnostics
        facts.rulesSeen = hb.rulesSeen
        facts.edges = hb.edges
        facts.taskSlots = hb.slotCount
        facts.eventCount = index
        return facts
    }

    public mutating func consume(_ event: RawEvent, strings: StringTable, location: Int? = nil) {
        let i = index
        index += 1
        let stamp = hb.observe(event, index: i, strings: strings)
        guard let kind = event.kind else { return }
        let tid = event.tid
        func s(_ id: StringID) -> String { strings[id] }
        func ref(_ what: String) -> EventRef {
            EventRef(index: i, location: location, timestamp: event.timestamp, pid: event.pid, tid: tid,
                     comm: strings[event.comm], kind: kind, what: what)
        }
        func add(_ action: StepAction, _ what: String, opens: Bool) {
            closeStep(tid, at: i)
            let step = Step(id: facts.steps.count, action: action, event: ref(what), stamp: stamp, endIndex: i, firstProbe: [:])
            facts.steps.append(step)
            if opens { openStep[tid] = step.id }
        }
        switch kind {
        case .moduleLoad:
            loadingModule[tid] = DriverName.normalized(s(event.a0))
        case .moduleInitDone:
            loadingModule[tid] = nil
            closeStep(tid, at: i)
        case .processExit:
            closeStep(tid, at: i)
            loadingModule[tid] = nil
        case .driverRegisterStart:
            let driver = s(event.a1)
            let type = ProbeType(rawValue: event.a2) ?? .defaultStrategy
            facts.probeTypes[driver] = type
            let module = loadingModule[tid]
            if let module { facts.moduleOfDriver[driver] = module }
            // Whether driver_async_probe= makes it async is decided with the
            // match facts (StepPreparation); prefer_async is known now.
            add(.driverRegister(driver: driver, module: module, isAsync: type == .preferAsynchronous),
                "driver_register \(driver) (\(type.name))", opens: true)
        case .driverRegisterEnd:
            if let open = openStep[tid], case .driverRegister(let d, _, _) = facts.steps[open].action, d == s(event.a1) {
                if Int32(bitPattern: event.a3) != 0 { facts.failedRegistrations.insert(open) }
                closeStep(tid, at: i)
            }
        case .dynamicIDAdded, .sysfsNewID:
            guard let payload = Payload(raw: event, strings: strings),
                  case let .dynamicIDAdded(driver, id) = payload.normalizedNewID else { return }
            let how = kind == .sysfsNewID ? "new_id" : "dynamic id (ids=)"
            add(.addID(driver: driver, id: id), "\(how) \(PCIIDText.matchID(id)) for \(driver)", opens: true)
        case .sysfsRemoveID:
            guard case let .sysfsRemoveID(driver, id)? = Payload(raw: event, strings: strings) else { return }
            add(.removeID(driver: driver, id: id), "remove_id \(PCIIDText.matchID(id)) from \(driver)", opens: false)
        case .deviceAdd:
            guard case let .deviceAdd(a)? = Payload(raw: event, strings: strings) else { return }
            if facts.devices[a.device] == nil { facts.deviceOrder.append(a.device) }
            facts.devices[a.device] = DeviceInfo(name: a.device, ids: a.pci, devpath: a.devpath, isVirtualFunction: a.isVirtualFunction, autoprobe: a.autoprobe)
            var what = "device_add \(a.device)"
            if let ids = a.pci { what += " [\(PCIIDText.pair(ids))]" }
            if a.isVirtualFunction { what += a.autoprobe ? " (VF, autoprobe on)" : " (VF, autoprobe off)" }
            add(.deviceAdd(device: a.device), what, opens: true)
        case .deviceRemove:
            add(.deviceRemove(device: s(event.a0)), "device_remove \(s(event.a0))", opens: false)
        case .driverOverrideWritten:
            let driver = s(event.a1)
            add(.setOverride(device: s(event.a0), driver: driver.isEmpty ? nil : driver),
                driver.isEmpty ? "driver_override of \(s(event.a0)) cleared" : "driver_override \(s(event.a0)) = \(driver)", opens: false)
        case .sysfsBind:
            add(.bind(device: s(event.a0), driver: s(event.a1)), "bind \(s(event.a0)) to \(s(event.a1)) (sysfs)", opens: true)
        case .sysfsUnbind:
            add(.unbind(device: s(event.a0), driver: s(event.a1)), "unbind \(s(event.a0)) from \(s(event.a1)) (sysfs)", opens: false)
        case .sysfsDriversProbe:
            add(.driversProbe(device: s(event.a0)), "drivers_probe \(s(event.a0)) (sysfs)", opens: true)
        case .asyncSynchronize:
            add(.asyncBarrier, event.a4 == 0 ? "async_synchronize_full" : "async_synchronize_cookie \(event.a4)", opens: false)
        case .workStart:
            if s(event.a2).contains("deferred_probe") {
                add(.deferredRetry, "deferred probe retry (\(s(event.a2)))", opens: true)
            }
        case .asyncScheduled:
            let device = s(event.a0)
            if !device.isEmpty { cookieDevice[event.a4] = device }
        case .asyncRunStart:
            if let device = cookieDevice.removeValue(forKey: event.a4) { facts.asyncRuns[device, default: []].append(i) }
        case .probeStart:
            if event.flags & RawFlags.async == 0, let open = openStep[tid], facts.steps[open].firstProbe[s(event.a0)] == nil {
                facts.steps[open].firstProbe[s(event.a0)] = i
            }
        case .probeEnd:
            let result = Int32(bitPattern: event.a3)
            facts.outcomes.record(device: s(event.a0), driver: s(event.a1), result: result)
            if result == 0 { facts.observedBinding[s(event.a0)] = .some(s(event.a1)) }
        case .bound:
            facts.observedBinding[s(event.a0)] = .some(s(event.a1))
        case .unbound:
            facts.observedBinding[s(event.a0)] = .some(nil)
        case .uevent:
            let comm = strings[event.comm]
            if event.a1 == UeventAction.add.rawValue, comm.hasPrefix("systemd-udevd") || comm == "(udev-worker)" || comm.hasPrefix("udevd") {
                let path = s(event.a0)
                if facts.udevAddStamp[path] == nil { facts.udevAddStamp[path] = stamp }
            }
        case .lost:
            facts.lostEvents &+= event.a4
        default:
            break
        }
    }

    private mutating func closeStep(_ tid: UInt32, at i: Int) {
        guard let open = openStep.removeValue(forKey: tid) else { return }
        if case .driverRegister = facts.steps[open].action { facts.steps[open].endIndex = i }
    }
}

extension Payload {
    /// sysfs new_id and pci_add_dynid both add a dynamic id.
    var normalizedNewID: Payload {
        if case let .sysfsNewID(driver, id) = self { return .dynamicIDAdded(driver: driver, id: id) }
        return self
    }
}
