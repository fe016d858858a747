import BindraceTrace

/// Generates a large, realistic trace: a boot with coldplug through udev
/// workers, then rounds of SR-IOV churn, hotplug with planted
/// vfio-vs-native races, kernel module requests through the usermode helper
/// and short-lived processes, until the target size is reached.
///
/// The event sequences follow the kernel's: device_add walks the registered
/// drivers in the adding task; a driver's registration walks the devices in
/// the loading task; a `new_id` write attaches unbound devices in the writer;
/// a uevent is recorded once where the kernel sends it and once in the udev
/// worker that picks it up (same seqnum).
public struct SyntheticBoot {
    public let configuration: SynthConfiguration
    private var rng: SplitMix64
    private var time: UInt64 = 2_000_000_000
    private var seqnum: UInt64 = 0
    private var emitted: UInt64 = 0
    private var pids = PIDAllocator(first: 300)
    private var workers: [UInt32] = []
    private var udevd: UInt32 = 0
    private var registered = Set<String>()
    private var bound: [String: String] = [:]
    private var devpaths: [String: String] = [:]
    /// Devices on the bus in the order they were added: the order a driver's
    /// registration walks them (bus_for_each_dev).
    private var busDevices: [String] = []
    private var outcomes: [PlantedOutcome] = []
    private var emit: (Event) throws -> Void = { _ in }
    private var pool: [UInt32] = []
    private var nextPooled = 0

    static let nicIDs = PCIDeviceIDs(vendor: 0x8086, device: 0x10FB, subvendor: 0x8086, subdevice: 0x000C, classCode: 0x020000)
    static let vfIDs = PCIDeviceIDs(vendor: 0x8086, device: 0x10ED, subvendor: 0x8086, subdevice: 0x000C, classCode: 0x020000)
    static let gpuIDs = PCIDeviceIDs(vendor: 0x10DE, device: 0x1E87, subvendor: 0x10DE, subdevice: 0x12B0, classCode: 0x030000)
    static let gpuAudioIDs = PCIDeviceIDs(vendor: 0x10DE, device: 0x10F8, subvendor: 0x10DE, subdevice: 0x12B0, classCode: 0x040300)
    /// Hotplugged devices: a made-up vendor, one device id and one native driver per race.
    static let syntheticVendor: UInt16 = 0xB1D0

    public init(_ configuration: SynthConfiguration) {
        self.configuration = configuration
        rng = SplitMix64(seed: configuration.seed)
    }

    /// The snapshot a capture would have taken at start, for this
    /// configuration. The capture starts before PCI enumeration, so no
    /// device is present yet: every one is added by the trace.
    public func snapshot() -> Snapshot {
        var alias = ""
        alias += "alias pci:v00008086d000010FBsv*sd*bc*sc*i* ixgbe\n"
        alias += "alias pci:v00008086d000010EDsv*sd*bc*sc*i* ixgbevf\n"
        alias += "alias pci:v000010DEd*sv*sd*bc03sc*i* nouveau\n"
        alias += "alias pci:v*d*sv*sd*bc04sc03i* snd_hda_intel\n"
        alias += "alias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci\n"
        // Each planted race's device has its own id and native module
        // (synth_nicN): one alias per race that can be planted at this size.
        for n in 0..<maxRaces() {
            let id = PCIDeviceIDs(vendor: Self.syntheticVendor, device: UInt16(truncatingIfNeeded: n), classCode: 0x020000)
            let modalias = Self.modalias(id)
            let device = modalias[modalias.index(modalias.startIndex, offsetBy: 13)..<modalias.index(modalias.startIndex, offsetBy: 22)]
            alias += "alias pci:v0000B1D0\(device)sv*sd*bc*sc*i* synth_nic\(n)\n"
        }
        return Snapshot(
            phase: .start, kernelRelease: "6.1.0-synthetic-amd64",
            commandLine: "BOOT_IMAGE=/vmlinuz-6.1.0-synthetic-amd64 root=/dev/vda1 intel_iommu=on iommu=pt",
            loadedModules: [], builtinModules: ["pcieport"], pciDevices: [],
            matchTables: [SnapshotFile(path: "modules.alias", text: alias),
                          SnapshotFile(path: "modules.order", text: "kernel/drivers/net/ethernet/intel/ixgbe/ixgbe.ko\nkernel/drivers/net/ethernet/intel/ixgbevf/ixgbevf.ko\nkernel/drivers/gpu/drm/nouveau/nouveau.ko\nkernel/sound/pci/hda/snd-hda-intel.ko\nkernel/drivers/vfio/pci/vfio-pci.ko\nextra/synth_nic.ko\n")],
            modprobeConfig: [SnapshotFile(path: "/etc/modprobe.d/vfio.conf", text: "softdep nouveau pre: vfio-pci\n")],
            probes: Self.probeNames.map { ProbeStatus(name: $0, attached: true, detail: "synthetic") },
            notes: ["generator": "bindrace synth", "seed": String(configuration.seed)])
    }

    /// An upper bound on the races `generate` plants: a churn round emits
    /// at least six events per VF.
    func maxRaces() -> Int {
        guard configuration.raceEvery > 0 else { return 0 }
        let perRound = UInt64(6 * configuration.sriovNICs * configuration.vfsPerNIC + 8)
        let rounds = Int(configuration.targetEvents / perRound) + 2
        return min(rounds / configuration.raceEvery + 1, 65_536)
    }

    static let probeNames = ["driver_register", "bus_add_driver", "device_add", "really_probe", "driver_bound",
                             "device_release_driver_internal", "driver_set_override", "bind_store", "unbind_store",
                             "new_id_store", "pci_add_dynid", "module_load", "module_request", "sched_process_fork",
                             "sched_process_exec", "sched_process_exit", "sched_process_wait", "async", "uevent"]

    /// Emits every event in order and returns what was planted.
    public mutating func generate(_ emit: @escaping (Event) throws -> Void) throws -> [PlantedOutcome] {
        self.emit = emit
        try boot()
        var round = 0
        while emitted < configuration.targetEvents {
            try churn(round: round)
            round += 1
        }
        self.emit = { _ in }
        return outcomes
    }

    // MARK: - Boot and coldplug

    private mutating func boot() throws {
        let swapper: Task = (1, "swapper/0")
        try event(swapper, .driverRegisterStart(driver: "pcieport", bus: "pci", probeType: .defaultStrategy))
        try event(swapper, .driverRegisterEnd(driver: "pcieport", bus: "pci", result: 0))
        registered.insert("pcieport")
        var coldplug: [(devpath: String, device: String)] = []
        for nic in 0..<configuration.sriovNICs {
            let d = Self.nicAddress(nic)
            try addDevice(swapper, d, devpath: Self.nicDevpath(nic), ids: Self.nicIDs)
            coldplug.append((Self.nicDevpath(nic), d))
        }
        for gpu in 0..<configuration.gpus {
            for function in 0...1 {
                let d = Self.gpuAddress(gpu, function: function)
                try addDevice(swapper, d, devpath: Self.gpuDevpath(gpu, function: function), ids: function == 0 ? Self.gpuIDs : Self.gpuAudioIDs)
                coldplug.append((Self.gpuDevpath(gpu, function: function), d))
            }
        }
        try event(swapper, .processExec(filename: "/sbin/init"))
        let systemd: Task = (1, "systemd")

        // The passthrough policy is applied before coldplug, by a boot script
        // that exits before udevadm trigger runs: the recommended fix, and
        // what makes the GPUs deterministic.
        let script = try spawn(from: systemd, exec: "/usr/local/sbin/vfio-bind", comm: "vfio-bind")
        for gpu in 0..<configuration.gpus {
            try event(script, .driverOverrideWritten(device: Self.gpuAddress(gpu, function: 0), driver: "vfio-pci"))
        }
        try reap(script, by: systemd)

        let udev = try spawn(from: systemd, exec: "/lib/systemd/systemd-udevd", comm: "systemd-udevd")
        udevd = udev.pid
        for _ in 0..<configuration.udevWorkers {
            let worker = pids.allocate()
            try event(udev, .processFork(childPID: worker, childTID: worker, isThread: false))
            workers.append(worker)
        }
        let trigger = try spawn(from: systemd, exec: "/bin/udevadm", comm: "udevadm")
        var pending: [(seqnum: UInt64, devpath: String, device: String)] = []
        for (devpath, device) in coldplug {
            seqnum += 1
            try event(trigger, .uevent(action: .add, devpath: devpath, seqnum: seqnum, subsystem: "pci"))
            pending.append((seqnum, devpath, device))
        }
        try reap(trigger, by: systemd)
        for item in pending {
            let worker = pickWorker()
            try event(worker, .uevent(action: .add, devpath: item.devpath, seqnum: item.seqnum, subsystem: "pci"))
            try coldplugHandle(item.device, worker: worker)
        }
        for gpu in 0..<configuration.gpus {
            let vga = Self.gpuAddress(gpu, function: 0), audio = Self.gpuAddress(gpu, function: 1)
            outcomes.append(PlantedOutcome(device: vga, expectation: .deterministicVfio, observedWinner: bound[vga] ?? "",
                                           feasibleWinners: ["vfio-pci"], racingEvents: []))
            outcomes.append(PlantedOutcome(device: audio, expectation: .deterministicNative, observedWinner: bound[audio] ?? "",
                                           feasibleWinners: ["snd_hda_intel"], racingEvents: []))
        }
    }

    /// A udev worker handling a coldplug add: kmod loads the modalias's
    /// modules in-process; an override-bound GPU gets vfio-pci through a
    /// RUN+="/sbin/modprobe vfio-pci" rule.
    private mutating func coldplugHandle(_ device: String, worker: Task) throws {
        if device.hasSuffix(".1") {
            try loadOnce(worker, module: "snd_hda_intel", driver: "snd_hda_intel", claims: { $0.hasPrefix("0000:4") && $0.hasSuffix(".1") })
        } else if device.hasPrefix("0000:4") {
            // softdep nouveau pre: vfio-pci, then nouveau, which the override keeps off.
            let modprobe = try spawn(from: worker, exec: "/sbin/modprobe", comm: "modprobe")
            try loadOnce(modprobe, module: "vfio_pci", driver: "vfio-pci", claims: { $0.hasPrefix("0000:4") && $0.hasSuffix(".0") })
            try loadOnce(modprobe, module: "nouveau", driver: "nouveau", claims: { _ in false })
            try reap(modprobe, by: worker)
            if bound[device] == nil {
                try event(worker, .sysfsDriversProbe(device: device, result: 0))
                try probe(worker, device, driver: "vfio-pci")
            }
        } else {
            try loadOnce(worker, module: "ixgbe", driver: "ixgbe", claims: { d in Self.isNIC(d) })
        }
    }

    /// kmod finds a loaded module live and does nothing.
    private mutating func loadOnce(_ task: Task, module: String, driver: String, claims: (String) -> Bool) throws {
        guard !registered.contains(driver) else { return }
        try loadModule(task, module: module, driver: driver, claims: claims)
    }

    // MARK: - Churn

    private mutating func churn(round: Int) throws {
        let systemd: Task = (1, "systemd")
        // SR-IOV: create VFs, let ixgbevf take them when autoprobe is on, remove them.
        let autoprobe = Int.random(in: 0..<4, using: &rng) != 0
        let setup = try spawn(from: systemd, exec: "/usr/local/sbin/sriov-setup", comm: "sriov-setup")
        var added: [(seqnum: UInt64, devpath: String, device: String)] = []
        for nic in 0..<configuration.sriovNICs {
            for vf in 0..<configuration.vfsPerNIC {
                let device = Self.vfAddress(nic, vf)
                let devpath = Self.vfDevpath(nic, vf)
                try addDevice(setup, device, devpath: devpath, ids: Self.vfIDs, virtualFunction: true, autoprobe: autoprobe)
                if registered.contains("ixgbevf") { try probe(setup, device, driver: "ixgbevf", refused: !autoprobe) }
                seqnum += 1
                try event(setup, .uevent(action: .add, devpath: devpath, seqnum: seqnum, subsystem: "pci"))
                added.append((seqnum, devpath, device))
            }
        }
        try reap(setup, by: systemd)
        for item in added {
            let worker = pickWorker()
            try event(worker, .uevent(action: .add, devpath: item.devpath, seqnum: item.seqnum, subsystem: "pci"))
            if !registered.contains("ixgbevf") {
                try loadModule(worker, module: "ixgbevf", driver: "ixgbevf", claims: { d in Self.isVF(d) }, refuses: { _ in !autoprobe })
            }
        }
        let teardown = try spawn(from: systemd, exec: "/usr/local/sbin/sriov-setup", comm: "sriov-setup")
        var removed: [(seqnum: UInt64, devpath: String)] = []
        for item in added {
            if let driver = bound.removeValue(forKey: item.device) {
                try event(teardown, .unbound(device: item.device, driver: driver))
                seqnum += 1
                try event(teardown, .uevent(action: .unbind, devpath: item.devpath, seqnum: seqnum, subsystem: "pci"))
            }
            try removeDevice(teardown, item.device)
            seqnum += 1
            try event(teardown, .uevent(action: .remove, devpath: item.devpath, seqnum: seqnum, subsystem: "pci"))
            removed.append((seqnum, item.devpath))
        }
        try reap(teardown, by: systemd)
        for item in removed {
            try event(pickWorker(), .uevent(action: .remove, devpath: item.devpath, seqnum: item.seqnum, subsystem: "pci"))
        }

        // The kernel asks for a module it does not have (a filesystem, a
        // protocol family): a kworker runs /sbin/modprobe as usermode helper.
        let requester = try spawn(from: systemd, exec: "/bin/mount", comm: "mount")
        try event(requester, .moduleRequest(name: "fs-synthfs\(round % 7)", wait: true))
        let kworker: Task = (2 + UInt32(round % 4), "kworker/u8:\(round % 4)")
        if configuration.taskPool > 0 {
            try event(kworker, .processExec(filename: "/sbin/modprobe"))
        } else {
            let helper = pids.allocate()
            try event(kworker, .processFork(childPID: helper, childTID: helper, isThread: false))
            try event((helper, "kworker/u8:\(round % 4)"), .processExec(filename: "/sbin/modprobe"))
            try event((helper, "modprobe"), .processExit(code: 1))
            pids.release(helper)
        }
        try reap(requester, by: systemd)

        // Short-lived helpers: the task-count knob.
        for _ in 0..<configuration.processesPerRound {
            let child = try spawn(from: systemd, exec: "/usr/bin/true", comm: "true")
            try reap(child, by: systemd)
        }

        if configuration.raceEvery > 0, round % configuration.raceEvery == 0 {
            try plantRace(number: round / configuration.raceEvery)
        }
    }

    /// A hotplugged device whose own native driver is loaded by the udev
    /// worker handling its add event, while a management agent binds it to
    /// vfio-pci through new_id. Neither is ordered before the other.
    private mutating func plantRace(number: Int) throws {
        let device = Self.hotplugAddress(number)
        let devpath = "/devices/pci0001:00/0001:00:00.0/" + device
        let deviceID = UInt16(truncatingIfNeeded: number)
        let ids = PCIDeviceIDs(vendor: Self.syntheticVendor, device: deviceID, classCode: 0x020000)
        let native = "synth_nic\(number)"
        let hotplug: Task = (2, "irq/24-pciehp")
        try addDevice(hotplug, device, devpath: devpath, ids: ids)
        seqnum += 1
        let addSeqnum = seqnum
        try event(hotplug, .uevent(action: .add, devpath: devpath, seqnum: addSeqnum, subsystem: "pci"))

        let agent = try spawn(from: (1, "systemd"), exec: "/usr/sbin/virtqemud", comm: "virtqemud")
        let worker = pickWorker()
        let agentFirst = Bool.random(using: &rng)
        var racing: [UInt64] = []
        let agentSteps: (inout SyntheticBoot) throws -> Void = { boot in
            // vfio-pci's own table matches only under driver_override: loading it binds nothing.
            try boot.loadOnce(agent, module: "vfio_pci", driver: "vfio-pci", claims: { _ in false })
            try boot.event(agent, .sysfsNewID(driver: "vfio-pci", id: PCIMatchID(vendor: UInt32(Self.syntheticVendor), device: UInt32(deviceID))))
            racing.append(boot.emitted)
            try boot.event(agent, .dynamicIDAdded(driver: "vfio-pci", id: PCIMatchID(vendor: UInt32(Self.syntheticVendor), device: UInt32(deviceID))))
            if boot.bound[device] == nil { try boot.probe(agent, device, driver: "vfio-pci") }
        }
        let workerSteps: (inout SyntheticBoot) throws -> Void = { boot in
            try boot.event(worker, .uevent(action: .add, devpath: devpath, seqnum: addSeqnum, subsystem: "pci"))
            try boot.event(worker, .moduleLoad(module: native))
            racing.append(boot.emitted)
            try boot.loadModule(worker, module: nil, driver: native, claims: { $0 == device })
        }
        if agentFirst {
            try agentSteps(&self)
            try workerSteps(&self)
        } else {
            try workerSteps(&self)
            try agentSteps(&self)
        }
        try reap(agent, by: (1, "systemd"))
        outcomes.append(PlantedOutcome(device: device, expectation: .raceVfioVsNative, observedWinner: bound[device] ?? "",
                                       feasibleWinners: [native, "vfio-pci"].sorted(), racingEvents: racing.sorted()))
        // The device goes away again so the set of live devices stays bounded.
        let remover: Task = (2, "irq/24-pciehp")
        if let driver = bound.removeValue(forKey: device) { try event(remover, .unbound(device: device, driver: driver)) }
        try removeDevice(remover, device)
        seqnum += 1
        try event(remover, .uevent(action: .remove, devpath: devpath, seqnum: seqnum, subsystem: "pci"))
    }

    // MARK: - Kernel sequences

    typealias Task = (pid: UInt32, comm: String)

    private mutating func event(_ task: Task, _ payload: Payload) throws {
        time += UInt64.random(in: 500...40_000, using: &rng)
        let cpu = UInt16(truncatingIfNeeded: task.pid % 2)
        try emit(Event(timestamp: time, cpu: cpu, pid: task.pid, tid: task.pid, comm: task.comm, payload: payload))
        emitted += 1
    }

    private mutating func addDevice(_ task: Task, _ device: String, devpath: String, ids: PCIDeviceIDs,
                                    virtualFunction: Bool = false, autoprobe: Bool = true) throws {
        devpaths[device] = devpath
        busDevices.append(device)
        try event(task, .deviceAdd(DeviceAddition(device: device, devpath: devpath, pci: ids, isVirtualFunction: virtualFunction, autoprobe: autoprobe)))
    }

    /// Loads a module (if `module` is given) and registers its driver, which
    /// probes every unbound device `claims` accepts; `refuses` marks VFs whose
    /// PF has autoprobe off (pci_device_probe fails them with -ENODEV).
    private mutating func loadModule(_ task: Task, module: String?, driver: String, claims: (String) -> Bool,
                                     refuses: (String) -> Bool = { _ in false }) throws {
        if let module { try event(task, .moduleLoad(module: module)) }
        try event(task, .driverRegisterStart(driver: driver, bus: "pci", probeType: .defaultStrategy))
        registered.insert(driver)
        for device in liveDevices() where bound[device] == nil && claims(device) {
            try probe(task, device, driver: driver, refused: refuses(device))
        }
        try event(task, .driverRegisterEnd(driver: driver, bus: "pci", result: 0))
    }

    /// really_probe; a refused probe returns ENODEV, positive as 6.1 reports it.
    private mutating func probe(_ task: Task, _ device: String, driver: String, refused: Bool = false) throws {
        try event(task, .probeStart(device: device, driver: driver, isAsync: false))
        guard !refused else {
            try event(task, .probeEnd(device: device, driver: driver, result: 19))
            return
        }
        try event(task, .probeEnd(device: device, driver: driver, result: 0))
        try event(task, .bound(device: device, driver: driver))
        bound[device] = driver
        seqnum += 1
        try event(task, .uevent(action: .bind, devpath: devpaths[device] ?? "", seqnum: seqnum, subsystem: "pci"))
    }

    private func liveDevices() -> [String] { busDevices }

    private mutating func removeDevice(_ task: Task, _ device: String) throws {
        try event(task, .deviceRemove(device: device, bus: "pci"))
        devpaths[device] = nil
        busDevices.removeAll { $0 == device }
    }

    private mutating func spawn(from parent: Task, exec file: String, comm: String) throws -> Task {
        if configuration.taskPool > 0 {
            // A long-lived task runs it (no new process).
            if pool.count < configuration.taskPool {
                let pid = pids.allocate()
                try event((1, "systemd"), .processFork(childPID: pid, childTID: pid, isThread: false))
                pool.append(pid)
            }
            let pid = pool[nextPooled % pool.count]
            nextPooled += 1
            try event((pid, parent.comm), .processExec(filename: file))
            return (pid, comm)
        }
        let pid = pids.allocate()
        try event(parent, .processFork(childPID: pid, childTID: pid, isThread: false))
        try event((pid, parent.comm), .processExec(filename: file))
        return (pid, comm)
    }

    private mutating func reap(_ child: Task, by parent: Task) throws {
        if configuration.taskPool > 0 { return }
        try event(child, .processExit(code: 0))
        try event(parent, .processWait(childPID: child.pid))
        pids.release(child.pid)
    }

    private mutating func pickWorker() -> Task {
        (workers[Int.random(in: 0..<workers.count, using: &rng)], "(udev-worker)")
    }

    // MARK: - Names

    static func hex2(_ value: Int) -> String {
        let text = String(value, radix: 16)
        return text.count >= 2 ? text : "0" + text
    }
    static func nicAddress(_ nic: Int) -> String { "0000:\(hex2(nic + 1)):00.0" }
    static func bridge(_ slot: Int) -> String { "/devices/pci0000:00/0000:00:\(hex2(slot)).0/" }
    static func nicDevpath(_ nic: Int) -> String { bridge(nic + 1) + nicAddress(nic) }
    static func vfAddress(_ nic: Int, _ vf: Int) -> String { "0000:\(hex2(nic + 1)):\(hex2(0x10 + vf / 8)).\(vf % 8)" }
    static func vfDevpath(_ nic: Int, _ vf: Int) -> String { bridge(nic + 1) + vfAddress(nic, vf) }
    static func gpuAddress(_ gpu: Int, function: Int) -> String { "0000:\(hex2(0x40 + gpu)):00.\(function)" }
    static func gpuDevpath(_ gpu: Int, function: Int) -> String { bridge(0x20 + gpu) + gpuAddress(gpu, function: function) }
    /// Bus, slot and function: 65,536 distinct addresses, as many as races can be planted.
    static func hotplugAddress(_ n: Int) -> String { "0001:\(hex2((n / 256) % 256)):\(hex2((n / 8) % 32)).\(n % 8)" }
    static func isNIC(_ d: String) -> Bool { d.hasPrefix("0000:0") && d.hasSuffix(":00.0") }
    static func isVF(_ d: String) -> Bool { d.hasPrefix("0000:0") && !d.hasSuffix(":00.0") }

    static func modalias(_ ids: PCIDeviceIDs) -> String {
        func hex(_ v: UInt32, _ n: Int) -> String {
            let t = String(v, radix: 16, uppercase: true)
            return String(repeating: "0", count: max(0, n - t.count)) + t
        }
        return "pci:v\(hex(UInt32(ids.vendor), 8))d\(hex(UInt32(ids.device), 8))sv\(hex(UInt32(ids.subvendor), 8))sd\(hex(UInt32(ids.subdevice), 8))bc\(hex(ids.classCode >> 16, 2))sc\(hex((ids.classCode >> 8) & 0xFF, 2))i\(hex(ids.classCode & 0xFF, 2))"
    }
}
