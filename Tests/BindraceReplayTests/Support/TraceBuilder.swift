import BindraceReplay
import BindraceTrace

/// Builds small traces event by event and records them through the real
/// JSONL writer and reader, as a file would be.
struct TraceBuilder {
    var events: [Event] = []
    var snapshot: Snapshot?
    var time: UInt64 = 1_000_000_000

    @discardableResult
    mutating func add(_ pid: UInt32, _ comm: String, _ payload: Payload, tid: UInt32? = nil) -> Int {
        time += 1000
        events.append(Event(timestamp: time, pid: pid, tid: tid ?? pid, comm: comm, payload: payload))
        return events.count - 1
    }

    func jsonl() -> [UInt8] {
        var writer = try! JSONLTraceWriter(sink: MemoryByteSink())
        if let snapshot { try! writer.write(snapshot) }
        for event in events { try! writer.write(event) }
        return writer.sink.bytes
    }

    func facts(recordsEdges: Bool = false, name: String = "test.jsonl") -> TraceFacts {
        var input = try! TraceInput(source: MemoryByteSource(jsonl()), encoding: .jsonl)
        return TraceRecorder.record(name: name, input: &input, recordsEdges: recordsEdges).0
    }

    /// Stamps of every event, straight from the tracker.
    func stamps(recordsEdges: Bool = false) -> ([ClockStamp], HappensBeforeTracker) {
        var interner = StringInterner()
        let raws = events.map { $0.raw(strings: &interner) }
        // Read the strings back through a JSONL round trip for a StringTable.
        var input = try! TraceInput(source: MemoryByteSource(jsonl()), encoding: .jsonl)
        var table = StringTable()
        var rawRead: [RawEvent] = []
        while let item = try! input.next() {
            if case .events(let chunk) = item { rawRead += chunk.events }
            table = input.strings
        }
        _ = raws
        var tracker = HappensBeforeTracker(recordsEdges: recordsEdges)
        let stamps = rawRead.enumerated().map { tracker.observe($0.element, index: $0.offset, strings: table) }
        return (stamps, tracker)
    }
}

extension TraceBuilder {
    /// A parent forks and reaps one child after another; each child does a
    /// stamped step (a registration): clocks that reuse slots stay two wide.
    static func forkAndReap(_ children: Int) -> TraceBuilder {
        var b = TraceBuilder()
        for i in 0..<children {
            let child = UInt32(100 + i)
            b.add(1, "systemd", .processFork(childPID: child, childTID: child, isThread: false))
            b.add(child, "modprobe", .driverRegisterStart(driver: "d\(i)", bus: "pci", probeType: .defaultStrategy))
            b.add(child, "modprobe", .processExit(code: 0))
            b.add(1, "systemd", .processWait(childPID: child))
        }
        return b
    }
}

extension TraceBuilder {
    /// `tasks` children of one parent alive at once: each registers a driver
    /// (stamped) and sends a uevent, in turn; a udev worker takes each
    /// uevent (stamped), a child asks for a module, and all exit and are
    /// reaped only at the end. With the worker and the parent, the clocks
    /// need `tasks` + 1 slots at once.
    static func crowd(_ tasks: Int) -> TraceBuilder {
        var b = TraceBuilder()
        let children = (0..<UInt32(tasks)).map { 1000 + $0 }
        for child in children { b.add(1, "systemd", .processFork(childPID: child, childTID: child, isThread: false)) }
        for (i, child) in children.enumerated() {
            b.add(child, "modprobe", .driverRegisterStart(driver: "d\(i)", bus: "pci", probeType: .defaultStrategy))
            b.add(child, "modprobe", .uevent(action: .add, devpath: "/devices/pci0000:00/0000:00:\(String(i, radix: 16)).0", seqnum: UInt64(100 + i),
                                               subsystem: "pci"))
            if i % 5 == 0 { b.add(child, "modprobe", .moduleRequest(name: "m\(i)", wait: false)) }
        }
        for (i, child) in children.enumerated() {
            b.add(900, "systemd-udevd", .uevent(action: .add, devpath: "/devices/pci0000:00/0000:00:\(String(i, radix: 16)).0",
                                                  seqnum: UInt64(100 + i), subsystem: "pci"))
            b.add(child, "modprobe", .driverRegisterStart(driver: "e\(i)", bus: "pci", probeType: .defaultStrategy))
        }
        for child in children { b.add(child, "modprobe", .processExit(code: 0)) }
        for child in children { b.add(1, "systemd", .processWait(childPID: child)) }
        b.add(1, "systemd", .driverRegisterStart(driver: "last", bus: "pci", probeType: .defaultStrategy))
        return b
    }
}

extension PCIDeviceIDs {
    static let e1000 = PCIDeviceIDs(vendor: 0x8086, device: 0x100e, subvendor: 0x8086, subdevice: 0x001e, classCode: 0x020000)
    static let v100 = PCIDeviceIDs(vendor: 0x10de, device: 0x1db1, subvendor: 0x10de, subdevice: 0x1212, classCode: 0x030200)
}

extension TableMatchFacts {
    /// e1000 for 8086:100e, nouveau for 10de:*, vfio-pci's catch-all
    /// override_only entry, a variant driver override_only for 10de:1db1.
    static let standard = TableMatchFacts(entries: [
        .init(driver: "e1000", id: PCIMatchID(vendor: 0x8086, device: 0x100e)),
        .init(driver: "nouveau", id: PCIMatchID(vendor: 0x10de, device: PCIMatchID.any, classCode: 0x030000, classMask: 0xff0000)),
        .init(driver: "vfio-pci", id: PCIMatchID(vendor: PCIMatchID.any, device: PCIMatchID.any), overrideOnly: true),
        .init(driver: "nvgrace_gpu_vfio_pci", id: PCIMatchID(vendor: 0x10de, device: 0x1db1), overrideOnly: true),
    ])
}
