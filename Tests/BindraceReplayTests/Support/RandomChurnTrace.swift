import BindraceReplay
import BindraceSynth
import BindraceTrace

/// Seeded random small traces in which devices come and go: a few PCI
/// devices added and removed several times (re-added with other ids, as a
/// VF with or without autoprobe), drivers loading while that happens (some
/// registrations failing, some still open across a removal), overrides,
/// sysfs bind/unbind/drivers_probe/new_id/remove_id, probes with varied
/// results, async probes and barriers, deferred-probe retries, uevents and
/// udev workers, module requests served by a kmod helper, sometimes a start
/// snapshot with devices already present or bound, devices present before
/// the capture that no snapshot lists, a device on another bus, writes
/// naming devices that are gone, sometimes lost events.
///
/// The trace is generated as one sequential story over a small model of the
/// kernel, so every hand-off is in an order a kernel could produce (a child
/// acts after its fork, a wait follows the exit, a worker takes a uevent
/// after it was sent), while the task acting at each point is random.
struct RandomChurnTrace {
    /// What the story did, so that tests can check the generator covers it.
    struct Stats {
        var adds = 0
        var removals = 0
        var failedRegistrations = 0
        var registrationsLeftOpen = 0
        var unbindsBeforeRemoval = 0
        var readds = 0
        var seededDevices = 0
        var seededBound = 0
        var seededOverrides = 0
        var asyncRuns = 0
        var deferredRetries = 0
        var udevReceipts = 0
        var moduleRequests = 0
        var lost = 0
        /// Devices present before the capture that no snapshot lists.
        var ghosts = 0
        var otherBusEvents = 0
        var writesToAbsentDevices = 0
    }

    struct Generated {
        var builder: TraceBuilder
        var facts: TableMatchFacts
        var stats: Stats
    }

    var rng: SplitMix64
    /// Long stories: each device added many times, mostly with no sysfs
    /// write of its own, so that its lifetimes repeat while drivers, ids,
    /// barriers and retries change around them.
    let long: Bool
    init(seed: UInt64, long: Bool = false) {
        rng = SplitMix64(seed: seed)
        self.long = long
    }

    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func pick<T>(_ xs: [T]) -> T { xs.randomElement(using: &rng)! }
    mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }

    // MARK: the world

    static let vfIDs = PCIDeviceIDs(vendor: 0x8086, device: 0x10ca, subvendor: 0x8086, subdevice: 0x0000, classCode: 0x020000)
    static let xhciIDs = PCIDeviceIDs(vendor: 0x1b36, device: 0x000d, subvendor: 0x1af4, subdevice: 0x1100, classCode: 0x0c0330)
    static let idPool: [PCIDeviceIDs] = [.e1000, .v100, vfIDs, xhciIDs]

    static let slots: [(name: String, devpath: String)] = [
        ("0000:00:02.0", "/devices/pci0000:00/0000:00:02.0"),
        ("0000:00:03.0", "/devices/pci0000:00/0000:00:03.0"),
        ("0000:01:00.0", "/devices/pci0000:00/0000:00:01.0/0000:01:00.0"),
        ("0000:03:00.2", "/devices/pci0000:00/0000:00:1c.0/0000:03:00.2"),
        // The bridge above 0000:01:00.0: udev orders their events.
        ("0000:00:01.0", "/devices/pci0000:00/0000:00:01.0"),
    ]
    /// The physical function the VF-like slot hangs off, for snapshots.
    static let physicalFunction = "0000:03:00.0"

    static let driverNames = ["e1000", "e1000e", "nouveau", "vfio-pci", "nvgrace_gpu_vfio_pci", "igbvf", "xhci_hcd"]

    enum Role { case systemd, kworker, kmodServer, udevd, udevWorker, shell, modprobe }

    struct Task {
        var pid: UInt32
        var comm: String
        var role: Role
        var parent: Int?
        var alive = true
        var exited = false
        var reaped = false
        /// Driver whose registration this task is inside.
        var registering: Int?
        /// Helper task this one waits for (a module request with wait).
        var waitsFor: Int?
        /// A helper serving a waiting requester.
        var serves: Int?
        /// A child its parent waits for in wait4 (a shell running modprobe).
        var awaitedByParent = false
    }

    struct Device {
        var name: String
        var devpath: String
        var ids: PCIDeviceIDs
        var isVF = false
        var autoprobe = true
        var present = false
        var bound: String?
        var override: String?
        var deferred = false
        var addsLeft: Int
        var lifetimes = 0
        /// Sysfs writes in the current lifetime (kept few: each is a step
        /// the analysis orders against every concurrent one).
        var writes = 0
    }

    struct Driver {
        var name: String
        var registered = false
        /// Registered before the capture (a snapshot's bound device's driver).
        var preloaded = false
        var loading: Int?
        var probeType = ProbeType.defaultStrategy
        var dynamicIDs: [PCIMatchID] = []
        /// No module for it on this machine: overrides may still name it.
        var unavailable = false
    }

    var tasks: [Task] = []
    var devices: [Device] = []
    var drivers: [Driver] = []
    var facts = TableMatchFacts()
    var builder = TraceBuilder()
    var stats = Stats()
    var nextPID: UInt32 = 1000
    var seqnum: UInt64 = 5000
    var cookie: UInt64 = 1
    var work: UInt64 = 0xffff_8880_0000_1000
    /// Uevents sent and not yet taken by a worker: (seqnum, action, devpath).
    var uevents: [(UInt64, UeventAction, String)] = []
    /// Async entries scheduled and not yet run: (cookie, device, driver).
    var asyncEntries: [(UInt64, Int, String)] = []
    var queuedWork: [UInt64] = []
    /// Module requests not yet served: (requesting task, wait).
    var requests: [(Int, Bool)] = []
    var lostLeft = 0
    var newIDsLeft = 4
    /// A virtio device under one of the PCI devices, when present: its devpath.
    var otherBusPath: String?

    // MARK: emitting

    mutating func emit(_ t: Int, _ payload: Payload) {
        builder.add(tasks[t].pid, tasks[t].comm, payload)
    }

    mutating func spawn(from parent: Int, comm: String, role: Role) -> Int {
        let pid = nextPID
        nextPID += 1
        emit(parent, .processFork(childPID: pid, childTID: pid, isThread: false))
        tasks.append(Task(pid: pid, comm: comm, role: role, parent: parent))
        return tasks.count - 1
    }

    mutating func exit(_ t: Int, code: Int32 = 0) {
        emit(t, .processExit(code: code))
        tasks[t].alive = false
        tasks[t].exited = true
        if let requester = tasks[t].serves { tasks[requester].waitsFor = nil }
        if tasks[t].awaitedByParent, let parent = tasks[t].parent {
            // The parent was blocked in wait4: that returns next.
            tasks[parent].waitsFor = nil
            emit(parent, .processWait(childPID: tasks[t].pid))
            tasks[t].reaped = true
        }
    }

    /// A task free to start something new.
    func idle(_ t: Int) -> Bool {
        tasks[t].alive && tasks[t].registering == nil && tasks[t].waitsFor == nil
    }

    func idleTasks(_ roles: Set<Role>) -> [Int] {
        tasks.indices.filter { idle($0) && roles.contains(tasks[$0].role) }
    }

    // MARK: matching, as far as the story needs it to look plausible

    func matches(_ drv: Int, _ d: Int) -> Bool {
        let device = devices[d]
        if let o = device.override { return o == drivers[drv].name }
        if drivers[drv].dynamicIDs.contains(where: { $0.matches(device.ids) }) { return true }
        return facts.staticMatch(driver: drivers[drv].name, module: nil, ids: device.ids) == .match
    }

    func isAsync(_ drv: Int) -> Bool {
        let d = drivers[drv]
        return d.probeType == .preferAsynchronous || (d.probeType != .forceSynchronous && facts.asyncProbeForced(driver: d.name))
    }

    mutating func probeResult(bound: Bool) -> Int32 {
        if bound { return chance(0.8) ? -16 : 0 }
        return pick([0, 0, 0, 0, -517, -517, 517, 19, -16, 22])
    }

    /// One probe of device `d` by driver `drv` in task `t`.
    mutating func probe(_ t: Int, _ d: Int, _ drv: Int, isAsync: Bool = false) {
        let name = devices[d].name, driver = drivers[drv].name
        emit(t, .probeStart(device: name, driver: driver, isAsync: isAsync))
        var result = probeResult(bound: devices[d].bound != nil)
        if result == 0 && devices[d].bound != nil { result = -16 }
        emit(t, .probeEnd(device: name, driver: driver, result: result))
        if result == 0 {
            // The bound event sometimes goes missing (a probe not attached).
            if chance(0.85) { emit(t, .bound(device: name, driver: driver)) }
            devices[d].bound = driver
            devices[d].deferred = false
            if chance(0.5) { emit(t, .uevent(action: .bind, devpath: devices[d].devpath, seqnum: nextSeqnum(.bind, devices[d].devpath), subsystem: "pci")) }
        } else if ProbeResult.isDefer(result) {
            devices[d].deferred = true
        }
    }

    /// The attach walk of a device in task `t`: sync drivers probe now,
    /// async ones are scheduled; sometimes a stray probe by any driver.
    mutating func attach(_ t: Int, _ d: Int, asyncFunction: String) {
        guard devices[d].present else { return }
        if devices[d].isVF && !devices[d].autoprobe && devices[d].override == nil && chance(0.8) { return }
        for drv in drivers.indices.shuffled(using: &rng) where (drivers[drv].registered || drivers[drv].loading != nil) && matches(drv, d) {
            if devices[d].bound != nil && chance(0.7) { break }
            if isAsync(drv) {
                scheduleAsync(t, d, drv, function: asyncFunction)
            } else {
                probe(t, d, drv)
            }
        }
        if chance(0.15), let drv = drivers.indices.filter({ drivers[$0].registered || drivers[$0].preloaded }).randomElement(using: &rng) {
            probe(t, d, drv)
        }
    }

    mutating func scheduleAsync(_ t: Int, _ d: Int, _ drv: Int, function: String) {
        emit(t, .asyncScheduled(cookie: cookie, function: function, device: devices[d].name))
        asyncEntries.append((cookie, d, drivers[drv].name))
        cookie += 1
    }

    mutating func nextSeqnum(_ action: UeventAction, _ devpath: String) -> UInt64 {
        seqnum += 1
        if chance(0.8) { uevents.append((seqnum, action, devpath)) }
        return seqnum
    }

    mutating func sendUevent(_ t: Int, _ action: UeventAction, _ d: Int) {
        let path = devices[d].devpath
        emit(t, .uevent(action: action, devpath: path, seqnum: nextSeqnum(action, path), subsystem: "pci"))
    }

    // MARK: the story

    mutating func make() -> Generated {
        setUpFacts()
        setUpTasks()
        setUpDevices()
        // A long story starts as a capture does, with a snapshot (whose
        // tables a lifetime's judgement waits for).
        if long || chance(0.35) { seedSnapshot() }
        if chance(0.2) { addGhost() }
        lostLeft = chance(0.08) ? 1 : 0
        let actions = long ? int(150...300) : int(12...50)
        for _ in 0..<actions { step() }
        finish()
        return Generated(builder: builder, facts: facts, stats: stats)
    }

    mutating func setUpFacts() {
        var entries = TableMatchFacts.standard.entries
        entries.append(.init(driver: "igbvf", id: PCIMatchID(vendor: 0x8086, device: 0x10ca)))
        if chance(0.3) { entries.removeAll { $0.driver == "e1000" } }
        if chance(0.35) { entries.append(.init(driver: "e1000e", id: PCIMatchID(vendor: 0x8086, device: 0x100e))) }
        if chance(0.25) { entries.append(.init(driver: "igbvf", id: PCIMatchID(vendor: 0x8086, device: PCIMatchID.any))) }
        if chance(0.5) { entries.append(.init(driver: "xhci_hcd", id: PCIMatchID(vendor: PCIMatchID.any, device: PCIMatchID.any, classCode: 0x0c0330, classMask: 0xffffff))) }
        var asyncDrivers = Set<String>()
        if chance(0.2) { asyncDrivers.insert(pick(Self.driverNames)) }
        if chance(0.04) { asyncDrivers.insert("*") }
        facts = TableMatchFacts(entries: entries, asyncDrivers: asyncDrivers)
        drivers = Self.driverNames.map { Driver(name: $0) }
        for d in drivers.indices.shuffled(using: &rng).prefix(int(1...4)) { drivers[d].unavailable = true }
    }

    mutating func setUpTasks() {
        tasks = [
            Task(pid: 1, comm: "systemd", role: .systemd),
            Task(pid: 60, comm: "kworker/u8:0", role: .kworker),
            Task(pid: 61, comm: "kworker/0:1", role: .kworker),
            Task(pid: 62, comm: "kworker/u8:3", role: .kmodServer),
            // udevd itself predates the capture; its workers are forked in it.
            Task(pid: 400, comm: "systemd-udevd", role: .udevd),
        ]
    }

    mutating func setUpDevices() {
        let count = int(2...4)
        let chosen = Array(Self.slots.shuffled(using: &rng).prefix(count))
        for slot in chosen {
            var ids = pick(Self.idPool)
            // Same ids as another device now and then.
            if let other = devices.last, chance(0.3) { ids = other.ids }
            var device = Device(name: slot.name, devpath: slot.devpath, ids: ids, addsLeft: long ? int(6...14) : int(1...4))
            device.isVF = ids == Self.vfIDs && chance(0.8)
            device.autoprobe = !device.isVF || chance(0.6)
            devices.append(device)
        }
    }

    /// Some devices present at the start, some bound, some with an override.
    mutating func seedSnapshot() {
        var snapshot = Snapshot(phase: .start, kernelRelease: "6.1.0-test")
        var seeded: [PCIDeviceSnapshot] = []
        var pfAutoprobe: Bool?
        for d in devices.indices where chance(0.6) {
            devices[d].present = true
            devices[d].lifetimes = 1
            stats.seededDevices += 1
            var entry = PCIDeviceSnapshot(address: devices[d].name, ids: devices[d].ids)
            if devices[d].isVF {
                entry.physicalFunction = Self.physicalFunction
                pfAutoprobe = devices[d].autoprobe
            }
            let r = Double.random(in: 0..<1, using: &rng)
            if r < 0.4 {
                let choices = drivers.indices.filter { facts.staticMatch(driver: drivers[$0].name, module: nil, ids: devices[d].ids) != .none }
                let drv = choices.randomElement(using: &rng) ?? drivers.indices.randomElement(using: &rng)!
                entry.driver = drivers[drv].name
                devices[d].bound = drivers[drv].name
                drivers[drv].preloaded = true
                stats.seededBound += 1
            } else if r < 0.65 {
                let o = pick(["vfio-pci", "vfio-pci", "nvgrace_gpu_vfio_pci", "igbvf", "e1000"])
                entry.driverOverride = o
                devices[d].override = o
                stats.seededOverrides += 1
            }
            seeded.append(entry)
        }
        if let pfAutoprobe {
            seeded.append(PCIDeviceSnapshot(address: Self.physicalFunction, ids: PCIDeviceIDs(vendor: 0x8086, device: 0x10c9, classCode: 0x020000),
                                            driver: "igb", sriovTotalVFs: 7, sriovNumVFs: 2, sriovDriversAutoprobe: pfAutoprobe))
        }
        snapshot.pciDevices = seeded.shuffled(using: &rng)
        let preloaded = drivers.filter(\.preloaded).map { DriverName.normalized($0.name) }
        if chance(0.5) { snapshot.builtinModules = preloaded } else { snapshot.loadedModules = preloaded }
        builder.snapshot = snapshot
    }

    /// A device present before the capture that the snapshot (if any) does
    /// not list, sometimes bound: the trace sees it only through what
    /// happens to it later.
    mutating func addGhost() {
        guard let d = devices.indices.filter({ !devices[$0].present }).randomElement(using: &rng) else { return }
        devices[d].present = true
        devices[d].lifetimes = 1
        stats.ghosts += 1
        if chance(0.6) {
            let drv = drivers.indices.filter { facts.staticMatch(driver: drivers[$0].name, module: nil, ids: devices[d].ids) == .match }
                .randomElement(using: &rng) ?? drivers.firstIndex { $0.name == "vfio-pci" }!
            devices[d].bound = drivers[drv].name
            drivers[drv].preloaded = true
        }
    }

    /// One random action the current state allows.
    mutating func step() {
        var options: [(Double, Action)] = []
        func offer(_ w: Double, _ a: Action) { options.append((w, a)) }
        if devices.contains(where: { !$0.present && $0.addsLeft > 0 }) { offer(3, .addDevice) }
        if devices.contains(where: \.present) { offer(2.5, .removeDevice) }
        if devices.contains(where: { $0.present && $0.writes < 4 }) {
            let w = long ? 0.1 : 1
            offer(1 * w, .override)
            offer(0.6 * w, .bind)
            offer(0.6 * w, .unbind)
            offer(0.5 * w, .driversProbe)
        }
        if drivers.contains(where: { !$0.registered && $0.loading == nil && !$0.preloaded && !$0.unavailable }) { offer(2, .loadModule) }
        if tasks.contains(where: { $0.alive && $0.registering != nil }) {
            offer(2, .continueRegistration)
            offer(1.5, .endRegistration)
        }
        // Global changes come seldom in a long story, between many lifetimes.
        let g = long ? 0.08 : 1
        if drivers.contains(where: \.registered) {
            if newIDsLeft > 0 { offer(0.5 * g, .newID) }
            offer(0.25 * g, .removeID)
        }
        if devices.contains(where: \.deferred) || chance(0.2) { offer(0.8 * g, .queueDeferred) }
        if !queuedWork.isEmpty { offer(1.5, .runDeferred) }
        if !asyncEntries.isEmpty { offer(2, .runAsync) }
        offer(0.25 * g, .asyncSynchronize)
        if !uevents.isEmpty { offer(2, .udevReceive) }
        offer(0.4 * g, .moduleRequest)
        if !requests.isEmpty { offer(1.5, .serveRequest) }
        if tasks.contains(where: { $0.exited && !$0.reaped && $0.parent != nil && tasks[$0.parent!].alive && tasks[$0.parent!].waitsFor == nil }) {
            offer(1.5, .reap)
        }
        if !idleTasks([.shell]).isEmpty { offer(0.2, .shellExit) }
        if lostLeft > 0 { offer(0.3, .lost) }
        if otherBusPath != nil || devices.contains(where: \.present) { offer(0.3, .otherBus) }
        if devices.contains(where: { !$0.present }) { offer(0.3, .absentWrite) }
        if !idleTasks([.udevWorker]).isEmpty { offer(0.15, .udevWorkerExit) }

        let total = options.reduce(0) { $0 + $1.0 }
        var x = Double.random(in: 0..<total, using: &rng)
        for (w, action) in options {
            if x < w {
                perform(action)
                return
            }
            x -= w
        }
        perform(options.last!.1)
    }

    enum Action {
        case addDevice, removeDevice, override, bind, unbind, driversProbe
        case loadModule, continueRegistration, endRegistration, newID, removeID
        case queueDeferred, runDeferred, runAsync, asyncSynchronize
        case udevReceive, moduleRequest, serveRequest, reap, shellExit, lost
        case otherBus, absentWrite, udevWorkerExit
    }

    mutating func perform(_ action: Action) {
        switch action {
        case .addDevice: addDevice()
        case .removeDevice: removeDevice()
        case .override: writeOverride()
        case .bind: sysfsBind()
        case .unbind: sysfsUnbind()
        case .driversProbe: driversProbe()
        case .loadModule: loadModule()
        case .continueRegistration: continueRegistration()
        case .endRegistration: endRegistration(pick(tasks.indices.filter { tasks[$0].alive && tasks[$0].registering != nil }))
        case .newID: newID()
        case .removeID: removeID()
        case .queueDeferred: queueDeferred()
        case .runDeferred: runDeferred()
        case .runAsync: runAsync()
        case .asyncSynchronize: asyncSynchronize()
        case .udevReceive: udevReceive()
        case .moduleRequest: moduleRequest()
        case .serveRequest: serveRequest()
        case .reap: reap()
        // Not a shell still in wait4 for its modprobe.
        case .shellExit: exit(pick(idleTasks([.shell])))
        case .otherBus: otherBus()
        case .absentWrite: absentWrite()
        case .udevWorkerExit: exit(pick(idleTasks([.udevWorker])))
        case .lost:
            lostLeft -= 1
            stats.lost += 1
            emit(pick(idleTasks([.kworker, .systemd])), .lost(count: UInt64(int(1...40))))
        }
    }

    /// A shell to write sysfs files from: an existing one or a new one.
    mutating func shell() -> Int {
        // Mostly one long-lived shell: real setups script these writes.
        let shells = idleTasks([.shell])
        if let s = shells.randomElement(using: &rng), chance(0.92) { return s }
        // At most two shells (every independent task multiplies the
        // orderings to explore); past that a udev rule does the write.
        if tasks.filter({ $0.role == .shell && $0.alive }).count < 2 {
            return spawn(from: 0, comm: pick(["bash", "driverctl", "sh"]), role: .shell)
        }
        if let s = shells.first { return s }
        return udevWorker()
    }

    /// Whoever writes a device's sysfs files: a shell, or a udev worker
    /// handling an event.
    mutating func writer() -> Int {
        let workers = idleTasks([.udevWorker])
        if let w = workers.randomElement(using: &rng), chance(0.35) { return w }
        return shell()
    }

    /// An idle udev worker, or a new one.
    mutating func udevWorker() -> Int {
        let workers = idleTasks([.udevWorker])
        let alive = tasks.filter { $0.role == .udevWorker && $0.alive }.count
        if let w = workers.randomElement(using: &rng), alive >= 2 || chance(0.85) { return w }
        return spawn(from: 4, comm: "(udev-worker)", role: .udevWorker)
    }

    /// A kworker free to run something; a new one when all wait (kernel
    /// threads appear without a fork the trace shows).
    mutating func kworker() -> Int {
        let free = idleTasks([.kworker])
        if let k = free.randomElement(using: &rng), chance(0.9) { return k }
        tasks.append(Task(pid: nextPID, comm: "kworker/1:\(nextPID % 7)", role: .kworker))
        nextPID += 1
        return tasks.count - 1
    }

    mutating func presentDevice() -> Int { pick(devices.indices.filter { devices[$0].present }) }

    /// A present device for one more sysfs write.
    mutating func writableDevice() -> Int {
        let d = pick(devices.indices.filter { devices[$0].present && devices[$0].writes < 4 })
        devices[d].writes += 1
        return d
    }

    // MARK: device lifetimes

    mutating func addDevice() {
        let d = pick(devices.indices.filter { !devices[$0].present && devices[$0].addsLeft > 0 })
        if devices[d].lifetimes > 0 {
            stats.readds += 1
            // Back with other ids, or as a VF with other autoprobe.
            if chance(0.25) { devices[d].ids = pick(Self.idPool) }
            if chance(0.3) { devices[d].isVF.toggle() }
            if devices[d].isVF && chance(0.4) { devices[d].autoprobe.toggle() }
            if !devices[d].isVF { devices[d].autoprobe = true }
        }
        devices[d].present = true
        devices[d].addsLeft -= 1
        devices[d].lifetimes += 1
        devices[d].bound = nil
        devices[d].deferred = false
        // The override is a device attribute: a new device starts without.
        devices[d].override = nil
        devices[d].writes = 0
        stats.adds += 1
        // Hotplug or a rescan from a shell; VFs when a shell enables SR-IOV.
        let t = devices[d].isVF || chance(0.3) ? shell() : kworker()
        let device = devices[d]
        emit(t, .deviceAdd(DeviceAddition(device: device.name, devpath: device.devpath, pci: device.ids,
                                          isVirtualFunction: device.isVF, autoprobe: device.autoprobe)))
        if chance(0.75) { sendUevent(t, .add, d) }
        if chance(0.85) { attach(t, d, asyncFunction: "__device_attach_async_helper") }
        if chance(0.15) { request(from: t) }
    }

    mutating func removeDevice() {
        let d = presentDevice()
        let t = chance(0.5) ? kworker() : shell()
        if let driver = devices[d].bound, chance(0.75) {
            // device_del releases the driver in the removing task.
            emit(t, .unbound(device: devices[d].name, driver: driver))
            stats.unbindsBeforeRemoval += 1
        } else if chance(0.1) {
            // An unbind from elsewhere just before.
            if let driver = devices[d].bound { emit(writer(), .unbound(device: devices[d].name, driver: driver)) }
        }
        emit(t, .deviceRemove(device: devices[d].name, bus: "pci"))
        if chance(0.6) { sendUevent(t, .remove, d) }
        devices[d].present = false
        devices[d].bound = nil
        devices[d].deferred = false
        // Some of its scheduled async probes are flushed with it.
        if chance(0.5) { asyncEntries.removeAll { $0.1 == d } }
        stats.removals += 1
    }

    mutating func writeOverride() {
        let d = writableDevice()
        let t = writer()
        let driver = chance(0.25) ? "" : pick(["vfio-pci", "vfio-pci", "nvgrace_gpu_vfio_pci", "igbvf", "e1000", "nouveau", "pci-stub"])
        emit(t, .driverOverrideWritten(device: devices[d].name, driver: driver))
        devices[d].override = driver.isEmpty ? nil : driver
    }

    mutating func sysfsBind() {
        let d = writableDevice()
        let t = writer()
        let drv = drivers.indices.filter { drivers[$0].registered }.randomElement(using: &rng) ?? drivers.indices.randomElement(using: &rng)!
        let ok = drivers[drv].registered && devices[d].bound == nil && matches(drv, d)
        if ok {
            emit(t, .sysfsBind(device: devices[d].name, driver: drivers[drv].name, result: 0))
            probe(t, d, drv)
        } else {
            emit(t, .sysfsBind(device: devices[d].name, driver: drivers[drv].name, result: pick([-19, -16, -22])))
        }
    }

    mutating func sysfsUnbind() {
        let d = writableDevice()
        let t = writer()
        if let driver = devices[d].bound {
            emit(t, .sysfsUnbind(device: devices[d].name, driver: driver, result: 0))
            emit(t, .unbound(device: devices[d].name, driver: driver))
            devices[d].bound = nil
            if chance(0.4) { sendUevent(t, .unbind, d) }
        } else {
            emit(t, .sysfsUnbind(device: devices[d].name, driver: pick(Self.driverNames), result: -19))
        }
    }

    mutating func driversProbe() {
        let d = writableDevice()
        let t = writer()
        emit(t, .sysfsDriversProbe(device: devices[d].name, result: 0))
        attach(t, d, asyncFunction: "__device_attach_async_helper")
    }

    /// A virtio function under a PCI device comes or goes: recorded, not
    /// analysed, but its uevents share udev's devpath ordering.
    mutating func otherBus() {
        let t = kworker()
        stats.otherBusEvents += 1
        if let path = otherBusPath {
            emit(t, .deviceRemove(device: "virtio2", bus: "virtio"))
            emit(t, .uevent(action: .remove, devpath: path, seqnum: nextSeqnum(.remove, path), subsystem: "virtio"))
            otherBusPath = nil
            return
        }
        let path = devices[presentDevice()].devpath + "/virtio2"
        emit(t, .deviceAdd(DeviceAddition(device: "virtio2", bus: "virtio", devpath: path)))
        emit(t, .uevent(action: .add, devpath: path, seqnum: nextSeqnum(.add, path), subsystem: "virtio"))
        emit(t, .probeStart(device: "virtio2", driver: "virtio_net", isAsync: false))
        emit(t, .probeEnd(device: "virtio2", driver: "virtio_net", result: 0))
        emit(t, .bound(device: "virtio2", driver: "virtio_net"))
        otherBusPath = path
    }

    /// The drivers' bind/unbind files and the bus's drivers_probe take any
    /// name: a device that is gone gets -ENODEV.
    mutating func absentWrite() {
        let d = pick(devices.indices.filter { !devices[$0].present })
        let t = writer()
        let name = devices[d].name, driver = pick(Self.driverNames)
        stats.writesToAbsentDevices += 1
        switch int(0...2) {
        case 0: emit(t, .sysfsBind(device: name, driver: driver, result: -19))
        case 1: emit(t, .sysfsUnbind(device: name, driver: driver, result: -19))
        default: emit(t, .sysfsDriversProbe(device: name, result: -19))
        }
    }

    // MARK: drivers

    mutating func loadModule() {
        let drv = pick(drivers.indices.filter { !drivers[$0].registered && drivers[$0].loading == nil && !drivers[$0].preloaded && !drivers[$0].unavailable })
        // A modprobe process (from systemd or a shell), or a udev worker
        // loading in-process.
        let t: Int
        let workers = idleTasks([.udevWorker])
        let loaders = idleTasks([.modprobe])
        if let m = loaders.randomElement(using: &rng), chance(0.6) {
            // modprobe -a: the next module of the same run.
            t = m
        } else if let w = workers.randomElement(using: &rng), chance(0.3) {
            t = w
        } else {
            // From a shell that waits for it, or started by systemd.
            let parent = chance(0.4) ? 0 : shell()
            t = spawn(from: parent, comm: tasks[parent].comm, role: .modprobe)
            emit(t, .processExec(filename: "/usr/sbin/modprobe"))
            tasks[t].comm = "modprobe"
            if parent != 0 {
                tasks[t].awaitedByParent = true
                tasks[parent].waitsFor = t
            }
        }
        startRegistration(t, drv)
    }

    mutating func startRegistration(_ t: Int, _ drv: Int) {
        drivers[drv].probeType = chance(0.25) ? .preferAsynchronous : (chance(0.15) ? .forceSynchronous : .defaultStrategy)
        drivers[drv].loading = t
        tasks[t].registering = drv
        emit(t, .moduleLoad(module: DriverName.normalized(drivers[drv].name)))
        emit(t, .driverRegisterStart(driver: drivers[drv].name, bus: "pci", probeType: drivers[drv].probeType))
        if chance(0.5) { walkDriver(t, drv) }
    }

    /// bus_add_driver's attach walk over the present devices.
    mutating func walkDriver(_ t: Int, _ drv: Int) {
        for d in devices.indices where devices[d].present && devices[d].bound == nil && matches(drv, d) {
            if isAsync(drv) {
                scheduleAsync(t, d, drv, function: "__driver_attach_async_helper")
            } else if chance(0.9) {
                probe(t, d, drv)
            }
        }
    }

    mutating func continueRegistration() {
        let t = pick(tasks.indices.filter { tasks[$0].alive && tasks[$0].registering != nil })
        walkDriver(t, tasks[t].registering!)
    }

    mutating func endRegistration(_ t: Int) {
        let drv = tasks[t].registering!
        let failed = chance(0.2)
        let result: Int32 = failed ? pick([-19, -22, -12, -17]) : 0
        emit(t, .driverRegisterEnd(driver: drivers[drv].name, bus: "pci", result: result))
        tasks[t].registering = nil
        drivers[drv].loading = nil
        if failed {
            stats.failedRegistrations += 1
            // A failed registration drops the driver; what it bound is released.
            for d in devices.indices where devices[d].bound == drivers[drv].name {
                if chance(0.5) { emit(t, .unbound(device: devices[d].name, driver: drivers[drv].name)) }
                devices[d].bound = nil
            }
        } else {
            drivers[drv].registered = true
            // ids= module parameter: pci_add_dynid after the registration.
            if DriverName.isVFIO(drivers[drv].name) && chance(0.5) {
                let id = matchID()
                emit(t, .dynamicIDAdded(driver: drivers[drv].name, id: id))
                drivers[drv].dynamicIDs.append(id)
                for d in devices.indices where devices[d].present && devices[d].bound == nil && id.matches(devices[d].ids) && chance(0.8) {
                    probe(t, d, drv)
                }
            }
        }
        let module = DriverName.normalized(drivers[drv].name)
        if chance(0.25) { synchronize(t, 0) }
        if chance(0.5) { emit(t, .moduleInitDone(module: module, result: result)) }
        if tasks[t].role == .modprobe && chance(tasks[t].awaitedByParent ? 0.85 : 0.6) { exit(t, code: failed ? 1 : 0) }
    }

    /// A dynamic id: mostly one of the devices' ids, sometimes narrower or unrelated.
    mutating func matchID() -> PCIMatchID {
        let ids = chance(0.8) ? pick(devices).ids : pick(Self.idPool)
        if chance(0.2) { return PCIMatchID(vendor: UInt32(ids.vendor), device: UInt32(ids.device), subvendor: UInt32(ids.subvendor), subdevice: UInt32(ids.subdevice)) }
        if chance(0.1) { return PCIMatchID(vendor: 0x15b3, device: 0x101e) }
        return PCIMatchID(vendor: UInt32(ids.vendor), device: UInt32(ids.device))
    }

    mutating func newID() {
        let drv = pick(drivers.indices.filter { drivers[$0].registered })
        let t = writer()
        let id = matchID()
        newIDsLeft -= 1
        emit(t, .sysfsNewID(driver: drivers[drv].name, id: id))
        drivers[drv].dynamicIDs.append(id)
        for d in devices.indices where devices[d].present && devices[d].bound == nil && id.matches(devices[d].ids) {
            probe(t, d, drv)
        }
    }

    mutating func removeID() {
        let drv = pick(drivers.indices.filter { drivers[$0].registered })
        let t = writer()
        let id = drivers[drv].dynamicIDs.randomElement(using: &rng) ?? matchID()
        emit(t, .sysfsRemoveID(driver: drivers[drv].name, id: id))
        drivers[drv].dynamicIDs.removeAll { $0 == id }
    }

    // MARK: deferred probing and async

    mutating func queueDeferred() {
        let t = pick(tasks.indices.filter { tasks[$0].alive && tasks[$0].waitsFor == nil })
        if let pending = queuedWork.first, chance(0.3) {
            // Queued again before it ran: it runs once, after both.
            emit(t, .workQueued(work: pending, function: "deferred_probe_work_func"))
            return
        }
        emit(t, .workQueued(work: work, function: "deferred_probe_work_func"))
        queuedWork.append(work)
        work += 0x40
    }

    mutating func runDeferred() {
        let w = queuedWork.removeFirst()
        let t = kworker()
        emit(t, .workStart(work: w, function: "deferred_probe_work_func"))
        stats.deferredRetries += 1
        for d in devices.indices where devices[d].present && devices[d].deferred {
            attach(t, d, asyncFunction: "__device_attach_async_helper")
        }
        if chance(0.8) { emit(t, .workEnd(work: w)) }
    }

    mutating func runAsync() {
        runAsync(int(0...(asyncEntries.count - 1)))
    }

    mutating func runAsync(_ k: Int) {
        let (c, d, driver) = asyncEntries.remove(at: k)
        let t = kworker()
        emit(t, .asyncRunStart(cookie: c))
        stats.asyncRuns += 1
        if devices[d].present, let drv = drivers.firstIndex(where: { $0.name == driver }), chance(0.9) {
            probe(t, d, drv, isAsync: true)
        }
        emit(t, .asyncRunEnd(cookie: c))
    }

    mutating func asyncSynchronize() {
        let t = pick(tasks.indices.filter { idle($0) && tasks[$0].role != .udevd })
        let limit: UInt64 = chance(0.5) || cookie == 1 ? 0 : UInt64(int(1...Int(cookie)))
        synchronize(t, limit)
    }

    /// async_synchronize_cookie returns once every entry it waits for ran.
    mutating func synchronize(_ t: Int, _ limit: UInt64) {
        while let k = asyncEntries.firstIndex(where: { limit == 0 || $0.0 < limit }) { runAsync(k) }
        emit(t, .asyncSynchronize(cookie: limit))
    }

    // MARK: udev

    mutating func udevReceive() {
        // Mostly in order, like udevd's queue; sometimes a later one first.
        let k = chance(0.75) ? 0 : int(0...(uevents.count - 1))
        let (s, action, path) = uevents.remove(at: k)
        let t = udevWorker()
        emit(t, .uevent(action: action, devpath: path, seqnum: s, subsystem: "pci"))
        stats.udevReceipts += 1
        // Rules acting on an added device: an override, a module load.
        guard action == .add, let d = devices.firstIndex(where: { $0.devpath == path && $0.present }) else { return }
        if chance(0.25) {
            devices[d].writes += 1
            let driver = pick(["vfio-pci", "nvgrace_gpu_vfio_pci", "igbvf"])
            emit(t, .driverOverrideWritten(device: devices[d].name, driver: driver))
            devices[d].override = driver
            if chance(0.5) {
                emit(t, .sysfsDriversProbe(device: devices[d].name, result: 0))
                attach(t, d, asyncFunction: "__device_attach_async_helper")
            }
        } else if chance(0.3), let drv = drivers.indices.filter({ !drivers[$0].registered && drivers[$0].loading == nil && !drivers[$0].preloaded && !drivers[$0].unavailable }).randomElement(using: &rng) {
            startRegistration(t, drv)
        }
    }

    // MARK: module requests

    mutating func moduleRequest() {
        let askers = idleTasks([.kworker, .udevWorker, .shell])
        request(from: askers.randomElement(using: &rng) ?? kworker())
    }

    mutating func request(from t: Int) {
        let wait = chance(0.5)
        let ids = pick(Self.idPool)
        let alias = "pci:v0000\(Self.hex4(ids.vendor))d0000\(Self.hex4(ids.device))sv*"
        emit(t, .moduleRequest(name: alias, wait: wait))
        requests.append((t, wait))
        stats.moduleRequests += 1
    }

    static func hex4(_ v: UInt16) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - s.count) + s
    }

    /// The kmod workqueue forks the helper, which execs modprobe.
    mutating func serveRequest() {
        let (requester, wait) = requests.removeFirst()
        let h = spawn(from: 3, comm: tasks[3].comm, role: .modprobe)
        emit(h, .processExec(filename: "/sbin/modprobe"))
        tasks[h].comm = "modprobe"
        if wait && tasks[requester].alive {
            tasks[requester].waitsFor = h
            tasks[h].serves = requester
        }
        let loadable = drivers.indices.filter { !drivers[$0].registered && drivers[$0].loading == nil && !drivers[$0].preloaded && !drivers[$0].unavailable }
        if let drv = loadable.randomElement(using: &rng), chance(0.7) {
            startRegistration(h, drv)
        } else {
            // Already loaded, or no module for the alias.
            exit(h, code: chance(0.5) ? 0 : 1)
        }
    }

    mutating func reap() {
        let c = pick(tasks.indices.filter { tasks[$0].exited && !tasks[$0].reaped && tasks[$0].parent != nil && tasks[tasks[$0].parent!].alive
                && tasks[tasks[$0].parent!].waitsFor == nil })
        emit(tasks[c].parent!, .processWait(childPID: tasks[c].pid))
        tasks[c].reaped = true
    }

    /// Open work ends; sometimes a registration is left running at the end.
    mutating func finish() {
        var open = tasks.indices.filter { tasks[$0].alive && tasks[$0].registering != nil }.shuffled(using: &rng)
        if !open.isEmpty && chance(0.15) {
            open.removeLast()
            stats.registrationsLeftOpen += 1
        }
        for t in open { endRegistration(t) }
        while !requests.isEmpty && chance(0.7) { serveRequest() }
        if chance(0.5) {
            for t in tasks.indices where tasks[t].role == .modprobe && tasks[t].alive && tasks[t].registering == nil { exit(t) }
        }
        if chance(0.5) { builder.add(1, "systemd", .marker(label: "end", value: 0)) }
    }
}
