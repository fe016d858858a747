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
    /// Per device removed at least once: what each ended lifetime (add …
    /// removal) is analysed with, in order of removal.
    public var lifetimesAtRemoval: [String: [LifetimeFacts]] = [:]
    /// Observed async probe runs per device in its current lifetime
    /// (async_run_start positions).
    public var asyncRuns: [String: [Int]] = [:]
    /// Registration steps (ids) whose driver forces synchronous probing: the
    /// command line's driver_async_probe= does not make them async.
    public var forcedSyncRegistrations: Set<Int> = []
    /// Module whose init registered each driver, where seen.
    public var moduleOfDriver: [String: String] = [:]
    public var lostEvents: UInt64 = 0
    public var eventCount = 0
    public var snapshots: [Snapshot] = []
    public var diagnostics: [TraceDiagnostic] = []
    public var rulesSeen: Set<HBRule> = []
    public var edges: [HBEdge] = []
    public var taskSlots = 0
    /// Per devpath: the stamp of a udev worker taking the first ADD uevent
    /// since the device's latest add (the earliest point a udev rule can act
    /// on this lifetime of it).
    public var udevAddStamp: [String: ClockStamp] = [:]
    /// Registration steps (ids) that failed (driver_register_end != 0), with
    /// the index of that event: a lifetime that ended before the failure
    /// still saw the driver registering.
    public var failedRegistrations: [Int: Int] = [:]
    /// PCI devices already bound when the capture started (from the start
    /// snapshot): how they got their driver is not in the trace.
    public var boundBeforeCapture: [String: String] = [:]
    /// Devices on other buses (virtio, serio, class devices…): recorded, not
    /// analysed, since the match model covers PCI.
    public var otherBusDevices: Set<String> = []

    public init(name: String) { self.name = name }

    public var startSnapshot: Snapshot? { snapshots.first { $0.phase == .start } ?? snapshots.first }
    public var hasDamage: Bool { diagnostics.contains { $0.severity == .damage } }
}

/// The streaming pass. Feed chunks and snapshots in order, then `finish`.
public struct TraceRecorder {
    public private(set) var facts: TraceFacts
    private var hb: HappensBeforeTracker
    private var index = 0
    /// Position in `facts.steps` of the step each task is in the middle of
    /// (probes it does belong to it).
    private var openStep: [UInt32: Int] = [:]
    private var loadingModule: [UInt32: String] = [:]
    private var cookieDevice: [UInt64: String] = [:]
    /// The driver core unbinding a device on its way out: (driver it had, task).
    private var unbindBeforeRemoval: [String: (driver: String?, tid: UInt32)] = [:]

    /// Per string id: 0 unknown, 1 no, 2 yes (a udev comm; a deferred-probe work function).
    private var udevComm: [UInt8] = []
    private var deferredWork: [UInt8] = []

    public init(name: String, recordsEdges: Bool = false) {
        self.init(name: name, recordsEdges: recordsEdges, clocks: .compact)
    }

    /// `clocks: .plain` selects the reference vector-clock core (one slot per
    /// task ever seen); the results are the same, only slower on many tasks.
    public init(name: String, recordsEdges: Bool = false, clocks: ClockPolicy) {
        facts = TraceFacts(name: name)
        hb = HappensBeforeTracker(recordsEdges: recordsEdges, policy: clocks)
    }

    /// Largest number of clock slots in use at once.
    public var peakClockSlots: Int { hb.peakSlots }
    /// Tasks the happens-before tracker holds now.
    public var liveTasks: Int { hb.liveTasks }
    /// Events consumed so far.
    public var eventsConsumed: Int { index }

    private static func cachedFlag(_ cache: inout [UInt8], _ id: StringID, _ compute: () -> Bool) -> Bool {
        let i = Int(id)
        if i < cache.count, cache[i] != 0 { return cache[i] == 2 }
        if cache.count <= i { cache.append(contentsOf: repeatElement(0, count: max(i + 1, cache.count * 2) - cache.count)) }
        let yes = compute()
        cache[i] = yes ? 2 : 1
        return yes
    }

    private mutating func isUdevComm(_ id: StringID, strings: StringTable) -> Bool {
        Self.cachedFlag(&udevComm, id) { TaskClassifier.role(ofComm: strings[id]) == .udev }
    }

    private mutating func isDeferredWork(_ id: StringID, strings: StringTable) -> Bool {
        Self.cachedFlag(&deferredWork, id) { Self.isDeferredProbe(function: strings[id]) }
    }

    /// A work item whose function is the driver core's deferred-probe work.
    static func isDeferredProbe(function text: String) -> Bool { text.contains("deferred_probe") }

    /// Whether the event can become a step or be compared with one (its
    /// happens-before stamp is needed); other events only move clocks.
    private mutating func needsStamp(_ event: RawEvent, strings: StringTable) -> Bool {
        switch event.kind {
        case .driverRegisterStart, .dynamicIDAdded, .sysfsNewID, .sysfsRemoveID, .deviceAdd, .deviceRemove,
             .driverOverrideWritten, .sysfsBind, .sysfsUnbind, .sysfsDriversProbe, .asyncSynchronize:
            return true
        case .workStart:
            return isDeferredWork(event.a2, strings: strings)
        case .uevent:
            return event.a1 == UeventAction.add.rawValue && isUdevComm(event.comm, strings: strings)
        default:
            return false
        }
    }

    public mutating func consume(_ chunk: EventChunk, strings: StringTable) {
        for (i, event) in chunk.events.enumerated() { consume(event, strings: strings, location: chunk.location(of: i)) }
    }

    public mutating func consume(snapshot: Snapshot) {
        facts.snapshots.append(snapshot)
        if index == 0 && snapshot.phase == .start && facts.snapshots.count == 1 { seedDevices(from: snapshot) }
    }

    /// PCI devices the kernel added before the capture started are present
    /// from the first event on: a device_add step ordered before every event
    /// (a stamp whose clock is all zero precedes every other stamp). A device
    /// already bound then keeps that driver; the trace cannot say how it won.
    private mutating func seedDevices(from snapshot: Snapshot) {
        let autoprobe = Dictionary(snapshot.pciDevices.map { ($0.address, $0.sriovDriversAutoprobe ?? true) }, uniquingKeysWith: { a, _ in a })
        for device in snapshot.pciDevices where facts.devices[device.address] == nil {
            let name = device.address
            facts.deviceOrder.append(name)
            let pf = device.physicalFunction
            facts.devices[name] = DeviceInfo(name: name, ids: device.ids, isVirtualFunction: pf != nil,
                                             autoprobe: pf.flatMap { autoprobe[$0] } ?? true)
            if let driver = device.driver, !driver.isEmpty {
                facts.boundBeforeCapture[name] = driver
                facts.observedBinding[name] = .some(driver)
                continue
            }
            let ref = EventRef(index: -1, timestamp: 0, pid: 0, tid: 0, comm: StepText.beforeCapture, kind: .deviceAdd,
                               what: StepText.presentAtStart(name, ids: device.ids))
            facts.steps.append(Step(id: facts.steps.count, action: .deviceAdd(device: name), event: ref,
                                    stamp: ClockStamp(slot: 0, clock: VectorClock()), endIndex: -1, firstProbe: [:]))
            if let override = device.driverOverride, !override.isEmpty {
                let overrideRef = EventRef(index: -1, timestamp: 0, pid: 0, tid: 0, comm: StepText.beforeCapture, kind: .driverOverrideWritten,
                                           what: StepText.overrideAtStart(name, driver: override))
                facts.steps.append(Step(id: facts.steps.count, action: .setOverride(device: name, driver: override), event: overrideRef,
                                        stamp: ClockStamp(slot: 0, clock: VectorClock()), endIndex: -1, firstProbe: [:]))
            }
        }
    }

    public mutating func finish(diagnostics: [TraceDiagnostic] = []) -> TraceFacts {
        // A registration still running when the trace ends ends with it.
        for (_, open) in openStep {
            if case .driverRegister = facts.steps[open].action { facts.steps[open].endIndex = index }
        }
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
        let wanted = needsStamp(event, strings: strings)
        let stamp = hb.observe(event, index: i, strings: strings, stamp: wanted)
        guard let kind = event.kind else { return }
        let tid = event.tid
        func s(_ id: StringID) -> String { strings[id] }
        func ref(_ what: String) -> EventRef {
            EventRef(index: i, location: location, timestamp: event.timestamp, pid: event.pid, tid: tid,
                     comm: strings[event.comm], kind: kind, what: what)
        }
        func add(_ action: StepAction, _ what: String, opens: Bool) {
            closeStep(tid, at: i)
            let step = Step(id: facts.steps.count, action: action, event: ref(what), stamp: stamp!, endIndex: i, firstProbe: [:])
            facts.steps.append(step)
            if opens { openStep[tid] = facts.steps.count - 1 }
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
            let module = loadingModule[tid]
            if let module { facts.moduleOfDriver[driver] = module }
            // Whether driver_async_probe= makes it async is decided with the
            // match facts (PreparedTrace); prefer_async is known now.
            if type == .forceSynchronous { facts.forcedSyncRegistrations.insert(facts.steps.count) }
            add(.driverRegister(driver: driver, module: module, isAsync: type == .preferAsynchronous),
                StepText.register(driver: driver, type: type), opens: true)
        case .driverRegisterEnd:
            if let open = openStep[tid], case .driverRegister(let d, _, _) = facts.steps[open].action, d == s(event.a1) {
                if Int32(bitPattern: event.a3) != 0 { facts.failedRegistrations[facts.steps[open].id] = i }
                closeStep(tid, at: i)
            }
        case .dynamicIDAdded, .sysfsNewID:
            guard let payload = Payload(raw: event, strings: strings),
                  case let .dynamicIDAdded(driver, id) = payload.normalizedNewID else { return }
            add(.addID(driver: driver, id: id), StepText.addID(driver: driver, id: id, sysfs: kind == .sysfsNewID), opens: true)
        case .sysfsRemoveID:
            guard case let .sysfsRemoveID(driver, id)? = Payload(raw: event, strings: strings) else { return }
            add(.removeID(driver: driver, id: id), StepText.removeID(driver: driver, id: id), opens: false)
        case .deviceAdd:
            guard case let .deviceAdd(a)? = Payload(raw: event, strings: strings) else { return }
            guard a.bus == "pci" || a.pci != nil else {
                facts.otherBusDevices.insert(a.device)
                return
            }
            if facts.devices[a.device] == nil { facts.deviceOrder.append(a.device) }
            let info = DeviceInfo(name: a.device, ids: a.pci, devpath: a.devpath, isVirtualFunction: a.isVirtualFunction, autoprobe: a.autoprobe)
            facts.devices[a.device] = info
            // A new lifetime: udev has not taken this add yet.
            facts.udevAddStamp[a.devpath] = nil
            add(.deviceAdd(device: a.device), StepText.deviceAdd(info), opens: true)
        case .deviceRemove:
            let device = s(event.a0)
            // Devices on other buses are not analysed: nothing to end.
            if facts.otherBusDevices.contains(device) { return }
            var observed = facts.observedBinding[device] ?? nil
            // An unbind by the removing task itself is part of the removal
            // (device_del releases the driver): the lifetime's binding is
            // the driver it had.
            if let unbind = unbindBeforeRemoval.removeValue(forKey: device), unbind.tid == tid { observed = unbind.driver }
            let info = facts.devices[device]
            facts.lifetimesAtRemoval[device, default: []].append(LifetimeFacts(
                observed: observed, outcomes: facts.outcomes.endLifetime(of: device), info: info,
                udevAddStamp: info.flatMap { facts.udevAddStamp[$0.devpath] }, asyncRuns: facts.asyncRuns.removeValue(forKey: device) ?? []))
            // The next lifetime starts with nothing observed.
            facts.observedBinding[device] = nil
            add(.deviceRemove(device: device), StepText.deviceRemove(device), opens: false)
        case .driverOverrideWritten:
            let driver = s(event.a1)
            add(.setOverride(device: s(event.a0), driver: driver.isEmpty ? nil : driver),
                StepText.override(device: s(event.a0), driver: driver), opens: false)
        case .sysfsBind:
            add(.bind(device: s(event.a0), driver: s(event.a1)), StepText.bind(device: s(event.a0), driver: s(event.a1)), opens: true)
        case .sysfsUnbind:
            add(.unbind(device: s(event.a0), driver: s(event.a1)), StepText.unbind(device: s(event.a0), driver: s(event.a1)), opens: false)
        case .sysfsDriversProbe:
            add(.driversProbe(device: s(event.a0)), StepText.driversProbe(device: s(event.a0)), opens: true)
        case .asyncSynchronize:
            add(.asyncBarrier, StepText.asyncBarrier(cookie: event.a4), opens: false)
        case .workStart:
            if isDeferredWork(event.a2, strings: strings) {
                add(.deferredRetry, StepText.deferredRetry(function: s(event.a2)), opens: true)
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
            if result == 0 {
                facts.observedBinding[s(event.a0)] = .some(s(event.a1))
                unbindBeforeRemoval[s(event.a0)] = nil
            }
        case .bound:
            facts.observedBinding[s(event.a0)] = .some(s(event.a1))
            unbindBeforeRemoval[s(event.a0)] = nil
        case .unbound:
            unbindBeforeRemoval[s(event.a0)] = (facts.observedBinding[s(event.a0)] ?? nil, tid)
            facts.observedBinding[s(event.a0)] = .some(nil)
        case .uevent:
            // Stamped only when it is a udev worker taking an ADD event.
            if let stamp {
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
