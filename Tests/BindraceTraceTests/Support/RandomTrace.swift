import BindraceTrace

/// Seeded random traces covering every event kind and awkward strings.
struct RandomTrace {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    var rng: SplitMix

    init(seed: UInt64) { rng = SplitMix(state: seed) }

    static let names = ["", "e1000", "vfio-pci", "vfio_pci", "0000:00:02.0", "nouveau", "modprobe", "kworker/u4:1",
                        "systemd-udevd", "quote\"back\\slash", "tab\there", "new\nline", "ünïcødé ✓", "\u{1}\u{7f}ctl",
                        "<script>alert(1)</script>", "/devices/pci0000:00/0000:00:02.0"]

    mutating func string() -> String {
        if Int.random(in: 0..<8, using: &rng) == 0 {
            return String((0..<Int.random(in: 0..<12, using: &rng)).map { _ in
                Character(UnicodeScalar(UInt8.random(in: 0x20...0x7E, using: &rng)))
            })
        }
        return RandomTrace.names.randomElement(using: &rng)!
    }

    mutating func id16() -> UInt32 {
        Bool.random(using: &rng) ? PCIMatchID.any : UInt32.random(in: 0...0xFFFF, using: &rng)
    }

    mutating func matchID() -> PCIMatchID {
        PCIMatchID(vendor: id16(), device: id16(), subvendor: id16(), subdevice: id16(),
                   classCode: UInt32.random(in: 0...0xFF_FFFF, using: &rng), classMask: UInt32.random(in: 0...0xFF_FFFF, using: &rng))
    }

    mutating func int32() -> Int32 { Int32.random(in: .min ... .max, using: &rng) }
    mutating func u64() -> UInt64 { UInt64.random(in: .min ... .max, using: &rng) }
    mutating func u32() -> UInt32 { UInt32.random(in: .min ... .max, using: &rng) }
    mutating func bool() -> Bool { Bool.random(using: &rng) }

    mutating func payload() -> Payload {
        switch EventKind.allCases.randomElement(using: &rng)! {
        case .processFork: return .processFork(childPID: u32(), childTID: u32(), isThread: bool())
        case .processExec: return .processExec(filename: string())
        case .processExit: return .processExit(code: int32())
        case .processWait: return .processWait(childPID: u32())
        case .moduleLoad: return .moduleLoad(module: string())
        case .moduleRequest: return .moduleRequest(name: string(), wait: bool())
        case .moduleInitDone: return .moduleInitDone(module: string(), result: int32())
        case .driverRegisterStart: return .driverRegisterStart(driver: string(), bus: string(), probeType: ProbeType.allCases.randomElement(using: &rng)!)
        case .driverRegisterEnd: return .driverRegisterEnd(driver: string(), bus: string(), result: int32())
        case .dynamicIDAdded: return .dynamicIDAdded(driver: string(), id: matchID())
        case .deviceAdd:
            let ids = bool() ? PCIDeviceIDs(vendor: .random(in: 0...0xFFFF, using: &rng), device: .random(in: 0...0xFFFF, using: &rng),
                                            subvendor: .random(in: 0...0xFFFF, using: &rng), subdevice: .random(in: 0...0xFFFF, using: &rng),
                                            classCode: .random(in: 0...0xFF_FFFF, using: &rng)) : nil
            return .deviceAdd(DeviceAddition(device: string(), bus: string(), devpath: string(), pci: ids, isVirtualFunction: bool(), autoprobe: bool()))
        case .deviceRemove: return .deviceRemove(device: string(), bus: string())
        case .driverOverrideWritten: return .driverOverrideWritten(device: string(), driver: string())
        case .sysfsBind: return .sysfsBind(device: string(), driver: string(), result: int32())
        case .sysfsUnbind: return .sysfsUnbind(device: string(), driver: string(), result: int32())
        case .sysfsDriversProbe: return .sysfsDriversProbe(device: string(), result: int32())
        case .sysfsNewID: return .sysfsNewID(driver: string(), id: matchID())
        case .sysfsRemoveID: return .sysfsRemoveID(driver: string(), id: matchID())
        case .probeStart: return .probeStart(device: string(), driver: string(), isAsync: bool())
        case .probeEnd: return .probeEnd(device: string(), driver: string(), result: int32())
        case .bound: return .bound(device: string(), driver: string())
        case .unbound: return .unbound(device: string(), driver: string())
        case .asyncScheduled: return .asyncScheduled(cookie: u64(), function: string(), device: string())
        case .asyncRunStart: return .asyncRunStart(cookie: u64())
        case .asyncRunEnd: return .asyncRunEnd(cookie: u64())
        case .asyncSynchronize: return .asyncSynchronize(cookie: u64())
        case .workQueued: return .workQueued(work: u64(), function: string())
        case .workStart: return .workStart(work: u64(), function: string())
        case .workEnd: return .workEnd(work: u64())
        case .uevent: return .uevent(action: UeventAction.allCases.randomElement(using: &rng)!, devpath: string(), seqnum: u64(), subsystem: string())
        case .marker: return .marker(label: string(), value: u64())
        case .lost: return .lost(count: u64())
        }
    }

    mutating func events(count: Int) -> [Event] {
        var time = UInt64.random(in: 0...1_000_000_000_000, using: &rng)
        return (0..<count).map { _ in
            time += UInt64.random(in: 0...5_000_000, using: &rng)
            let pid = UInt32.random(in: 0...40_000, using: &rng)
            return Event(timestamp: time, cpu: UInt16.random(in: 0...3, using: &rng), pid: pid,
                         tid: bool() ? pid : u32(), comm: string(), payload: payload())
        }
    }

    mutating func snapshot() -> Snapshot {
        Snapshot(
            phase: bool() ? .start : .end, kernelRelease: "6.1.0-\(Int.random(in: 0...40, using: &rng))-amd64",
            commandLine: "BOOT_IMAGE=/vmlinuz " + string(), loadedModules: [string(), string()],
            pciDevices: [PCIDeviceSnapshot(address: "0000:00:02.0", ids: PCIDeviceIDs(vendor: 0x8086, device: 0x100e, classCode: 0x020000),
                                           modalias: "pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00", driver: bool() ? "e1000" : nil)],
            matchTables: [SnapshotFile(path: "modules.alias", text: "alias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000\n")],
            modprobeConfig: [SnapshotFile(path: "/etc/modprobe.d/vfio.conf", text: "options vfio-pci ids=8086:100e\n" + string())],
            probes: [ProbeStatus(name: "really_probe", attached: true, detail: "fentry"), ProbeStatus(name: "pci_add_dynid", attached: bool(), detail: string())],
            notes: ["host": string()])
    }

    /// A trace as the writer would see it: events, snapshots and early flushes.
    enum Step: Hashable {
        case event(Event)
        case snapshot(Snapshot)
        case flush
    }

    mutating func steps(count: Int) -> [Step] {
        let events = events(count: count)
        var steps: [Step] = []
        if bool() { steps.append(.snapshot(snapshot())) }
        for event in events {
            steps.append(.event(event))
            switch Int.random(in: 0..<40, using: &rng) {
            case 0: steps.append(.flush)
            case 1: steps.append(.snapshot(snapshot()))
            default: break
            }
        }
        if bool() { steps.append(.snapshot(snapshot())) }
        return steps
    }
}

enum TraceBytes {
    static func binary(_ steps: [RandomTrace.Step], eventsPerChunk: Int = 16) throws -> [UInt8] {
        var writer = try TraceWriter(sink: MemoryByteSink(), eventsPerChunk: eventsPerChunk)
        for step in steps {
            switch step {
            case .event(let event): try writer.append(event)
            case .snapshot(let snapshot): try writer.write(snapshot)
            case .flush: try writer.flush()
            }
        }
        try writer.finish()
        return writer.sink.bytes
    }

    static func binary(_ events: [Event], eventsPerChunk: Int = 16) throws -> [UInt8] {
        try binary(events.map { .event($0) }, eventsPerChunk: eventsPerChunk)
    }

    static func read(_ bytes: [UInt8], encoding: TraceEncoding = .binary) throws -> (events: [Event], snapshots: [Snapshot], diagnostics: [TraceDiagnostic]) {
        var input = try TraceInput(source: MemoryByteSource(bytes), encoding: encoding)
        var events: [Event] = []
        var snapshots: [Snapshot] = []
        while let item = try input.next() {
            switch item {
            case .events(let chunk):
                let strings = input.strings
                events += chunk.events.compactMap { Event(raw: $0, strings: strings) }
            case .snapshot(let snapshot, _, _): snapshots.append(snapshot)
            }
        }
        return (events, snapshots, input.diagnostics)
    }

    static func convert(_ bytes: [UInt8], from: TraceEncoding, to: TraceEncoding) throws -> [UInt8] {
        var input = try TraceInput(source: MemoryByteSource(bytes), encoding: from)
        switch to {
        case .binary: return try TraceConversion.toBinary(&input, sink: MemoryByteSink()).0.bytes
        case .jsonl: return try TraceConversion.toJSONL(&input, sink: MemoryByteSink()).0.bytes
        }
    }
}
