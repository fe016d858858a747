import BindraceTrace
import CLibBPF
import Testing

@testable import BindraceCapture

/// Builds a ring-buffer record the way the BPF side fills it.
func makeRecord(
    _ kind: bindrace_kind, flags: UInt8 = 0, s0: String = "", s1: String = "", s2: String = "",
    n: [UInt32] = [], result: Int32 = 0, u0: UInt64 = 0, u1: UInt64 = 0
) -> bindrace_record {
    var r = bindrace_record()
    r.timestamp = 1_000
    r.pid = 42
    r.tid = 43
    r.cpu = 1
    r.kind = UInt8(kind.rawValue)
    r.flags = flags
    r.result = result
    r.u0 = u0
    r.u1 = u1
    withUnsafeMutableBytes(of: &r.n) { p in
        for (i, v) in n.prefix(6).enumerated() { p.storeBytes(of: v, toByteOffset: i * 4, as: UInt32.self) }
    }
    func put<T>(_ text: String, into field: inout T) {
        withUnsafeMutableBytes(of: &field) { p in
            for (i, b) in text.utf8.prefix(p.count - 1).enumerated() { p[i] = b }
        }
    }
    put("modprobe", into: &r.comm)
    put(s0, into: &r.s0)
    put(s1, into: &r.s1)
    put(s2, into: &r.s2)
    return r
}

@Suite("Ring-buffer record conversion")
struct RecordConverterTests {
    let converter = RecordConverter(symbolName: { $0 == 0xffff_ffff_8100_1000 ? "call_usermodehelper_exec_work" : KernelSymbols.hex($0) })

    @Test("the C layout is the one the BPF side uses")
    func layout() {
        #expect(MemoryLayout<bindrace_record>.size == Int(BINDRACE_RECORD_FULL))
        #expect(MemoryLayout<bindrace_record>.offset(of: \bindrace_record.s0) == Int(BINDRACE_RECORD_SHORT))
        #expect(MemoryLayout<bindrace_record>.offset(of: \bindrace_record.comm) == 64)
        #expect(MemoryLayout<bindrace_config>.size == 24)
    }

    @Test("task context and probe events")
    func probeEvents() throws {
        let start = try #require(converter.event(from: makeRecord(BR_PROBE_START, flags: UInt8(BINDRACE_F_ASYNC), s0: "0000:00:03.0", s1: "e1000")))
        #expect(start.pid == 42 && start.tid == 43 && start.cpu == 1 && start.comm == "modprobe" && start.timestamp == 1_000)
        #expect(start.payload == .probeStart(device: "0000:00:03.0", driver: "e1000", isAsync: true))
        #expect(converter.payload(from: makeRecord(BR_PROBE_END, s0: "0000:00:03.0", s1: "vfio-pci", result: -16))
            == .probeEnd(device: "0000:00:03.0", driver: "vfio-pci", result: -16))
        #expect(converter.payload(from: makeRecord(BR_BOUND, s0: "0000:00:03.0", s1: "e1000")) == .bound(device: "0000:00:03.0", driver: "e1000"))
        #expect(converter.payload(from: makeRecord(BR_UNBOUND, s0: "0000:00:03.0", s1: "e1000")) == .unbound(device: "0000:00:03.0", driver: "e1000"))
    }

    @Test("driver registration and dynamic ids")
    func drivers() {
        #expect(converter.payload(from: makeRecord(BR_DRIVER_REGISTER_START, s0: "pci", s1: "vfio-pci", n: [1]))
            == .driverRegisterStart(driver: "vfio-pci", bus: "pci", probeType: .preferAsynchronous))
        #expect(converter.payload(from: makeRecord(BR_DRIVER_REGISTER_END, s0: "pci", s1: "vfio-pci", result: 0))
            == .driverRegisterEnd(driver: "vfio-pci", bus: "pci", result: 0))
        #expect(converter.payload(from: makeRecord(BR_DYNAMIC_ID_ADDED, s1: "vfio-pci", n: [0x8086, 0x100e, 0xffff_ffff, 0xffff_ffff, 0, 0]))
            == .dynamicIDAdded(driver: "vfio-pci", id: PCIMatchID(vendor: 0x8086, device: 0x100e)))
    }

    @Test("device_add with PCI ids, and a virtual function")
    func deviceAdd() {
        let pci = makeRecord(BR_DEVICE_ADD, flags: UInt8(BINDRACE_F_PCI_IDS | BINDRACE_F_AUTOPROBE),
                             s0: "0000:00:03.0", s1: "pci", s2: "/devices/pci0000:00/0000:00:03.0",
                             n: [0x8086, 0x100e, 0x1af4, 0x1100, 0x020000])
        #expect(converter.payload(from: pci) == .deviceAdd(DeviceAddition(
            device: "0000:00:03.0", bus: "pci", devpath: "/devices/pci0000:00/0000:00:03.0",
            pci: PCIDeviceIDs(vendor: 0x8086, device: 0x100e, subvendor: 0x1af4, subdevice: 0x1100, classCode: 0x020000),
            isVirtualFunction: false, autoprobe: true)))
        let vf = makeRecord(BR_DEVICE_ADD, flags: UInt8(BINDRACE_F_PCI_IDS | BINDRACE_F_VIRTFN), s0: "0000:01:00.1", s1: "pci", n: [0x15b3, 0x101e])
        guard case .deviceAdd(let addition)? = converter.payload(from: vf) else { Issue.record("not a device_add"); return }
        #expect(addition.isVirtualFunction && !addition.autoprobe)
        let other = makeRecord(BR_DEVICE_ADD, s0: "eth0", s2: "/devices/pci0000:00/0000:00:03.0/eth0")
        guard case .deviceAdd(let net)? = converter.payload(from: other) else { Issue.record("not a device_add"); return }
        #expect(net.pci == nil && net.bus == "")
    }

    @Test("sysfs writes: override, bind, unbind, drivers_probe, new_id")
    func sysfs() {
        #expect(converter.payload(from: makeRecord(BR_DRIVER_OVERRIDE, s0: "0000:00:03.0", s2: "vfio-pci\n", n: [9]))
            == .driverOverrideWritten(device: "0000:00:03.0", driver: "vfio-pci"))
        #expect(converter.payload(from: makeRecord(BR_DRIVER_OVERRIDE, s0: "0000:00:03.0", s2: "\n", n: [1]))
            == .driverOverrideWritten(device: "0000:00:03.0", driver: ""))
        #expect(converter.payload(from: makeRecord(BR_SYSFS_BIND, s1: "vfio-pci", s2: "0000:00:03.0\n", result: 13))
            == .sysfsBind(device: "0000:00:03.0", driver: "vfio-pci", result: 13))
        #expect(converter.payload(from: makeRecord(BR_SYSFS_UNBIND, s1: "e1000", s2: "0000:00:03.0", result: -19))
            == .sysfsUnbind(device: "0000:00:03.0", driver: "e1000", result: -19))
        #expect(converter.payload(from: makeRecord(BR_SYSFS_DRIVERS_PROBE, s1: "pci", s2: "0000:00:03.0\n", result: 13))
            == .sysfsDriversProbe(device: "0000:00:03.0", result: 13))
        #expect(converter.payload(from: makeRecord(BR_SYSFS_NEW_ID, s0: "pci", s1: "vfio-pci", s2: "8086 100e\n", result: 10))
            == .sysfsNewID(driver: "vfio-pci", id: PCIMatchID(vendor: 0x8086, device: 0x100e)))
        // A failed write changed nothing; another bus's new_id is not a PCI id.
        #expect(converter.payload(from: makeRecord(BR_SYSFS_NEW_ID, s0: "pci", s1: "vfio-pci", s2: "zz", result: -22)) == nil)
        #expect(converter.payload(from: makeRecord(BR_SYSFS_REMOVE_ID, s0: "usb-serial", s1: "x", s2: "1 2", result: 4)) == nil)
    }

    @Test("new_id text parses like pci-driver.c")
    func newID() {
        #expect(RecordConverter.parseNewID("10de 1b80 ffffffff ffffffff 030000 ffff00\n")
            == PCIMatchID(vendor: 0x10de, device: 0x1b80, subvendor: PCIMatchID.any, subdevice: PCIMatchID.any, classCode: 0x030000, classMask: 0xffff00))
        #expect(RecordConverter.parseNewID("8086 100e 1af4 1100") == PCIMatchID(vendor: 0x8086, device: 0x100e, subvendor: 0x1af4, subdevice: 0x1100))
        #expect(RecordConverter.parseNewID("8086") == nil)
    }

    @Test("process, module, async and work events")
    func tasks() {
        #expect(converter.payload(from: makeRecord(BR_PROCESS_FORK, flags: UInt8(BINDRACE_F_THREAD), n: [100, 101])) == .processFork(childPID: 100, childTID: 101, isThread: true))
        #expect(converter.payload(from: makeRecord(BR_PROCESS_EXEC, s2: "/sbin/modprobe")) == .processExec(filename: "/sbin/modprobe"))
        #expect(converter.payload(from: makeRecord(BR_PROCESS_EXIT, result: 1 << 8)) == .processExit(code: 1))
        #expect(converter.payload(from: makeRecord(BR_PROCESS_EXIT, result: 9)) == .processExit(code: 137))
        #expect(converter.payload(from: makeRecord(BR_PROCESS_WAIT, n: [100])) == .processWait(childPID: 100))
        #expect(converter.payload(from: makeRecord(BR_MODULE_REQUEST, flags: UInt8(BINDRACE_F_WAIT), s0: "fs-foofs")) == .moduleRequest(name: "fs-foofs", wait: true))
        #expect(converter.payload(from: makeRecord(BR_MODULE_INIT_DONE, s0: "e1000", result: 0)) == .moduleInitDone(module: "e1000", result: 0))
        #expect(converter.payload(from: makeRecord(BR_ASYNC_SYNCHRONIZE, u0: UInt64.max)) == .asyncSynchronize(cookie: 0))
        #expect(converter.payload(from: makeRecord(BR_WORK_QUEUED, u0: 7, u1: 0xffff_ffff_8100_1000)) == .workQueued(work: 7, function: "call_usermodehelper_exec_work"))
        #expect(converter.payload(from: makeRecord(BR_WORK_START, u0: 7, u1: 0x1234)) == .workStart(work: 7, function: "0x1234"))
        #expect(converter.payload(from: makeRecord(BR_ASYNC_SCHEDULED, s0: "0000:00:03.0", u0: 5, u1: 0)) == .asyncScheduled(cookie: 5, function: "", device: "0000:00:03.0"))
        #expect(converter.payload(from: makeRecord(bindrace_kind(rawValue: 200))) == nil)
    }

    @Test("a short record leaves the strings empty")
    func shortRecord() throws {
        var r = makeRecord(BR_PROCESS_EXIT, s0: "garbage", result: 0)
        let event = withUnsafeBytes(of: &r) { converter.event(from: UnsafeRawBufferPointer(rebasing: $0[0..<Int(BINDRACE_RECORD_SHORT)])) }
        #expect(try #require(event).payload == .processExit(code: 0))
        #expect(RecordConverter.string(RecordConverter.record(from: withUnsafeBytes(of: &r) { UnsafeRawBufferPointer(rebasing: $0[0..<80]) }).s0) == "")
    }

    @Test("uevents come as the kernel's netlink message")
    func uevent() throws {
        var bytes = [UInt8](repeating: 0, count: Int(BINDRACE_RECORD_SHORT))
        var head = makeRecord(BR_UEVENT)
        let message = Array("bind@/devices/pci0000:00/0000:00:03.0\0ACTION=bind\0DEVPATH=/devices/pci0000:00/0000:00:03.0\0SUBSYSTEM=pci\0DRIVER=e1000\0SEQNUM=1234\0".utf8)
        head.n.0 = UInt32(message.count)
        head.n.1 = 1
        withUnsafeBytes(of: &head) { for i in 0..<bytes.count { bytes[i] = $0[i] } }
        bytes += message
        let event = try #require(bytes.withUnsafeBytes { converter.event(from: $0) })
        #expect(event.payload == .uevent(action: .bind, devpath: "/devices/pci0000:00/0000:00:03.0", seqnum: 1234, subsystem: "pci"))
        // Truncated before SEQNUM: still an event, seqnum unknown (0).
        let cut = Array("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0".utf8)
        #expect(cut.withUnsafeBytes { RecordConverter.uevent(message: $0) } == .uevent(action: .add, devpath: "/devices/x", seqnum: 0, subsystem: ""))
        #expect(Array("garbage".utf8).withUnsafeBytes { RecordConverter.uevent(message: $0) } == nil)
    }

    @Test("kallsyms: text symbols by address, clones by prefix")
    func kallsyms() {
        let text = """
            ffffffff81001000 T call_usermodehelper_exec_work
            ffffffff81002000 t alloc_uevent_skb.isra.0
            ffffffff81003000 D some_data
            ffffffff81004000 t new_id_store
            ffffffff81005000 t new_id_store
            ffffffffc0001000 t e1000_probe\t[e1000]
            0000000000000000 T hidden
            """
        let symbols = KernelSymbols(kallsyms: Array(text.utf8))
        #expect(symbols.name(0xffff_ffff_8100_1000) == "call_usermodehelper_exec_work")
        #expect(symbols.name(0xffff_ffff_c000_1000) == "e1000_probe")
        #expect(symbols.name(0xffff_ffff_8100_3000) == "0xffffffff81003000")
        #expect(symbols.names(withPrefix: "alloc_uevent_skb.") == ["alloc_uevent_skb.isra.0"])
        #expect(symbols.address(of: "e1000_probe") == 0xffff_ffff_c000_1000)
        #expect(symbols.addresses(of: "new_id_store") == [0xffff_ffff_8100_4000, 0xffff_ffff_8100_5000])
    }

    @Test("base64 of the embedded object decodes to an ELF file")
    func embeddedObject() throws {
        #expect(Base64.decode("TWFu") == Array("Man".utf8))
        #expect(Base64.decode("TWE=") == Array("Ma".utf8))
        let object = try #require(EmbeddedBPFObject.objects.first.flatMap { Base64.decode($0.base64) })
        #expect(Array(object.prefix(4)) == [0x7f, 0x45, 0x4c, 0x46])
    }
}
