import BindraceReplay
import BindraceSynth
import BindraceTrace

/// Seeded random small traces of driver-core activity spread over a few
/// tasks, with every kind of happens-before hand-off between them (fork,
/// exit/wait, module request and its helper, async schedule/run/synchronize,
/// workqueue, uevent delivery), and a random static match table.
struct RandomDriverTrace {
    var rng: SplitMix64
    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func pick<T>(_ xs: [T]) -> T { xs.randomElement(using: &rng)! }

    static let devices: [(String, PCIDeviceIDs, String)] = [
        ("0000:00:02.0", .e1000, "/devices/pci0000:00/0000:00:02.0"),
        ("0000:00:03.0", .e1000, "/devices/pci0000:00/0000:00:03.0"),
        ("0000:01:00.0", .v100, "/devices/pci0000:00/0000:00:01.0/0000:01:00.0"),
    ]
    /// The same devices at other addresses: a trace made with these is the
    /// same trace but for the devices' names.
    static let movedDevices: [(String, PCIDeviceIDs, String)] = [
        ("0000:0a:00.0", .e1000, "/devices/pci0000:00/0000:0a:00.0"),
        ("0000:0b:00.0", .e1000, "/devices/pci0000:00/0000:0b:00.0"),
        ("0000:0c:00.0", .v100, "/devices/pci0000:00/0000:00:01.0/0000:0c:00.0"),
    ]
    static let drivers = ["e1000", "vfio-pci", "nouveau", "nvgrace_gpu_vfio_pci", "igbvf"]
    var deviceList = Self.devices

    /// One operation of a task's script.
    enum Op {
        case event(Payload)
        case fork(Int)
        case exit
        case wait(Int)
        case queueWork(UInt64, String)
        case startWork(UInt64, String)
        case asyncSchedule(UInt64, String)
        case asyncRun(UInt64)
        case emitUevent(UInt64, String)
        case receiveUevent(UInt64, String)
        case request
        case helperExec
    }

    struct Task {
        var pid: UInt32
        var comm: String
        var ops: [Op] = []
        var started: Bool
    }

    /// Returns the trace and the match facts it was generated with.
    mutating func make() -> (TraceBuilder, TableMatchFacts) {
        // Static tables: mostly realistic, sometimes odd.
        var entries = TableMatchFacts.standard.entries
        if chance(0.3) { entries.removeAll { $0.driver == "e1000" } }
        if chance(0.3) { entries.append(.init(driver: "igbvf", id: PCIMatchID(vendor: 0x8086, device: PCIMatchID.any))) }
        var asyncDrivers = Set<String>()
        if chance(0.15) { asyncDrivers.insert(pick(Self.drivers)) }
        let facts = TableMatchFacts(entries: entries, asyncDrivers: asyncDrivers)

        // Tasks: 0 systemd (running), 1-2 modprobe (forked by 0), 3 kworker
        // (kernel thread, running), 4 udev worker (forked by 0), 5 kworker
        // running a usermode helper's child (forked by 3).
        var tasks = [
            Task(pid: 1, comm: "systemd", started: true),
            Task(pid: 300, comm: "modprobe", started: false),
            Task(pid: 301, comm: "modprobe", started: false),
            Task(pid: 40, comm: "kworker/u4:1", started: true),
            Task(pid: 410, comm: "(udev-worker)", started: false),
            Task(pid: 41, comm: "kworker/u4:1", started: false),
        ]
        tasks[0].ops = [.fork(1), .fork(2), .fork(4)]

        // Driver-core steps, distributed over tasks 1, 2, 3, 4, 5.
        let stepTasks = [1, 2, 3, 4, 5]
        var work: UInt64 = 0x1000, cookie: UInt64 = 1, seq: UInt64 = 200
        let deviceCount = Int.random(in: 1...2, using: &rng)
        let devices = Array(deviceList.shuffled(using: &rng).prefix(deviceCount))
        for (name, ids, devpath) in devices {
            let t = pick([3, 3, 1, 4])
            tasks[t].ops.append(.event(.deviceAdd(DeviceAddition(device: name, devpath: devpath, pci: ids))))
            if chance(0.3) {
                tasks[t].ops.append(.emitUevent(seq, devpath))
                tasks[4].ops.append(.receiveUevent(seq, devpath))
                seq += 1
            }
        }
        let driverCount = Int.random(in: 1...3, using: &rng)
        for driver in Self.drivers.shuffled(using: &rng).prefix(driverCount) {
            let t = pick(stepTasks)
            let type: ProbeType = chance(0.35) ? .preferAsynchronous : .defaultStrategy
            tasks[t].ops.append(.event(.moduleLoad(module: DriverName.normalized(driver))))
            tasks[t].ops.append(.event(.driverRegisterStart(driver: driver, bus: "pci", probeType: type)))
            tasks[t].ops.append(.event(.driverRegisterEnd(driver: driver, bus: "pci", result: 0)))
            if DriverName.isVFIO(driver), chance(0.7) {
                let id = PCIMatchID(vendor: UInt32(pick(devices).1.vendor), device: UInt32(pick(devices).1.device))
                tasks[t].ops.append(.event(.dynamicIDAdded(driver: driver, id: id)))
            }
            if type == .defaultStrategy && chance(0.6) { tasks[t].ops.insert(.event(.asyncSynchronize(cookie: 0)), at: tasks[t].ops.count - 2) }
        }
        // Sysfs writes and overrides.
        for _ in 0..<Int.random(in: 0...2, using: &rng) {
            let device = pick(devices).0
            let driver = pick(Self.drivers)
            let t = pick(stepTasks)
            let payload: Payload = pick([
                .driverOverrideWritten(device: device, driver: driver),
                .driverOverrideWritten(device: device, driver: driver),
                .sysfsBind(device: device, driver: driver, result: 0),
                .sysfsUnbind(device: device, driver: driver, result: 0),
                .sysfsDriversProbe(device: device, result: 0),
                .driverOverrideWritten(device: device, driver: ""),
            ])
            tasks[t].ops.append(.event(payload))
        }
        // Observed probe outcomes (anywhere; only the results matter).
        for _ in 0..<Int.random(in: 0...2, using: &rng) {
            let result: Int32 = pick([0, 19, -517, 517, 22])
            tasks[3].ops.append(.event(.probeEnd(device: pick(devices).0, driver: pick(Self.drivers), result: result)))
        }
        if chance(0.3) {
            tasks[pick([1, 2])].ops.append(.queueWork(work, "deferred_probe_work_func"))
            tasks[3].ops.append(.startWork(work, "deferred_probe_work_func"))
            work += 1
        }
        // Hand-offs between tasks, at random points.
        func insert(_ op: Op, into t: Int) {
            let at = Int.random(in: 0...tasks[t].ops.count, using: &rng)
            tasks[t].ops.insert(op, at: at)
        }
        if chance(0.4) { insert(.queueWork(work, "some_work"), into: pick([1, 2, 4])); insert(.startWork(work, "some_work"), into: 3); work += 1 }
        if chance(0.4) { insert(.asyncSchedule(cookie, pick(devices).0), into: pick([1, 2])); insert(.asyncRun(cookie), into: 3); cookie += 1 }
        if chance(0.3) { insert(.request, into: pick([1, 2, 4])); tasks[3].ops.append(.fork(5)); tasks[5].ops.insert(.helperExec, at: 0) }
        // The modprobes exit; systemd may wait for one.
        tasks[1].ops.append(.exit)
        tasks[2].ops.append(.exit)
        if chance(0.5) { tasks[0].ops.append(.wait(pick([1, 2]))) }
        tasks[0].ops.append(.event(.marker(label: "end", value: 0)))

        // Run the scripts with a random scheduler that respects each hand-off.
        var builder = TraceBuilder()
        var exited = Set<Int>()
        var queued = Set<UInt64>(), scheduled = Set<UInt64>(), emitted = Set<UInt64>()
        func enabled(_ t: Int) -> Bool {
            guard tasks[t].started, let op = tasks[t].ops.first else { return false }
            switch op {
            case .wait(let c): return exited.contains(c)
            case .startWork(let w, _): return queued.contains(w)
            case .asyncRun(let c): return scheduled.contains(c)
            case .receiveUevent(let s, _): return emitted.contains(s)
            default: return true
            }
        }
        while true {
            let ready = tasks.indices.filter(enabled)
            guard let t = ready.randomElement(using: &rng) else { break }
            let op = tasks[t].ops.removeFirst()
            let pid = tasks[t].pid, comm = tasks[t].comm
            switch op {
            case .event(let p): builder.add(pid, comm, p)
            case .fork(let c):
                builder.add(pid, comm, .processFork(childPID: tasks[c].pid, childTID: tasks[c].pid, isThread: false))
                tasks[c].started = true
            case .exit:
                builder.add(pid, comm, .processExit(code: 0))
                exited.insert(t)
            case .wait(let c): builder.add(pid, comm, .processWait(childPID: tasks[c].pid))
            case .queueWork(let w, let f):
                builder.add(pid, comm, .workQueued(work: w, function: f))
                queued.insert(w)
            case .startWork(let w, let f): builder.add(pid, comm, .workStart(work: w, function: f))
            case .asyncSchedule(let c, let d):
                builder.add(pid, comm, .asyncScheduled(cookie: c, function: "__driver_attach_async_helper", device: d))
                scheduled.insert(c)
            case .asyncRun(let c):
                builder.add(pid, comm, .asyncRunStart(cookie: c))
                builder.add(pid, comm, .asyncRunEnd(cookie: c))
            case .emitUevent(let s, let path):
                builder.add(pid, comm, .uevent(action: .add, devpath: path, seqnum: s, subsystem: "pci"))
                emitted.insert(s)
            case .receiveUevent(let s, let path):
                builder.add(pid, comm, .uevent(action: .add, devpath: path, seqnum: s, subsystem: "pci"))
            case .request: builder.add(pid, comm, .moduleRequest(name: "pci:v00008086d0000100Esv*", wait: chance(0.5)))
            case .helperExec:
                builder.add(pid, comm, .processExec(filename: "/sbin/modprobe"))
                tasks[t].comm = "modprobe"
            }
        }
        return (builder, facts)
    }
}
