import BindraceTrace
import CLibBPF

/// Turns ring-buffer records (`struct bindrace_record`, BPF/bindrace_record.h)
/// into trace events.
///
/// Pure: no kernel access; function addresses are named through `symbolName`,
/// so tests can feed records built by hand.
public struct RecordConverter {
    /// Names a kernel function address (a work item's or async entry's function).
    public var symbolName: (UInt64) -> String

    public init(symbolName: @escaping (UInt64) -> String = { KernelSymbols.hex($0) }) {
        self.symbolName = symbolName
    }

    /// A record from the bytes the ring buffer handed over; a short record
    /// leaves the string fields empty.
    public static func record(from bytes: UnsafeRawBufferPointer) -> bindrace_record {
        var record = bindrace_record()
        withUnsafeMutableBytes(of: &record) { destination in
            let count = min(bytes.count, destination.count)
            if count > 0 {
                destination.baseAddress!.copyMemory(from: bytes.baseAddress!, byteCount: count)
            }
        }
        return record
    }

    /// The event of one ring-buffer record as handed over (any length).
    public func event(from bytes: UnsafeRawBufferPointer) -> Event? {
        let r = Self.record(from: bytes)
        if Int(r.kind) == Int(BR_UEVENT.rawValue) {
            let start = Int(BINDRACE_RECORD_SHORT)
            let length = min(Int(r.n.0), max(0, bytes.count - start))
            guard length > 0, r.n.1 == 1,
                  let payload = Self.uevent(message: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)]))
            else { return nil }
            return Event(timestamp: r.timestamp, cpu: r.cpu, pid: r.pid, tid: r.tid, comm: Self.string(r.comm), payload: payload)
        }
        return event(from: r)
    }

    /// A uevent's netlink message: "action@devpath" then NUL-separated
    /// KEY=value pairs (ACTION, DEVPATH, SUBSYSTEM, SEQNUM, ...).
    public static func uevent(message: UnsafeRawBufferPointer) -> Payload? {
        var action: UeventAction?
        var devpath = ""
        var subsystem = ""
        var seqnum: UInt64 = 0
        for (index, field) in message.split(separator: 0, omittingEmptySubsequences: true).enumerated() {
            let text = String(decoding: field, as: UTF8.self)
            if index == 0, let at = text.firstIndex(of: "@") {
                action = UeventAction(name: String(text[..<at]))
                devpath = String(text[text.index(after: at)...])
                continue
            }
            guard let equals = text.firstIndex(of: "=") else { continue }
            let key = text[..<equals]
            let value = String(text[text.index(after: equals)...])
            switch key {
            case "ACTION": action = UeventAction(name: value) ?? action
            case "DEVPATH": devpath = value
            case "SUBSYSTEM": subsystem = value
            case "SEQNUM": seqnum = UInt64(value) ?? 0
            default: break
            }
        }
        guard let action else { return nil }
        return .uevent(action: action, devpath: devpath, seqnum: seqnum, subsystem: subsystem)
    }

    public func event(from r: bindrace_record) -> Event? {
        guard let payload = payload(from: r) else { return nil }
        return Event(
            timestamp: r.timestamp, cpu: r.cpu, pid: r.pid, tid: r.tid,
            comm: Self.string(r.comm), payload: payload)
    }

    public func payload(from r: bindrace_record) -> Payload? {
        let s0 = { Self.string(r.s0) }
        let s1 = { Self.string(r.s1) }
        let s2 = { Self.string(r.s2) }
        let n = r.n
        switch Int(r.kind) {
        case Int(BR_PROCESS_FORK.rawValue):
            return .processFork(childPID: n.0, childTID: n.1, isThread: r.flags & UInt8(BINDRACE_F_THREAD) != 0)
        case Int(BR_PROCESS_EXEC.rawValue):
            return .processExec(filename: s2())
        case Int(BR_PROCESS_EXIT.rawValue):
            return .processExit(code: Self.exitCode(status: r.result))
        case Int(BR_PROCESS_WAIT.rawValue):
            return .processWait(childPID: n.0)
        case Int(BR_MODULE_LOAD.rawValue):
            return .moduleLoad(module: s0())
        case Int(BR_MODULE_REQUEST.rawValue):
            return .moduleRequest(name: s0(), wait: r.flags & UInt8(BINDRACE_F_WAIT) != 0)
        case Int(BR_MODULE_INIT_DONE.rawValue):
            return .moduleInitDone(module: s0(), result: r.result)
        case Int(BR_DRIVER_REGISTER_START.rawValue):
            return .driverRegisterStart(driver: s1(), bus: s0(), probeType: ProbeType(rawValue: n.0) ?? .defaultStrategy)
        case Int(BR_DRIVER_REGISTER_END.rawValue):
            return .driverRegisterEnd(driver: s1(), bus: s0(), result: r.result)
        case Int(BR_DYNAMIC_ID_ADDED.rawValue):
            return .dynamicIDAdded(driver: s1(), id: PCIMatchID(
                vendor: n.0, device: n.1, subvendor: n.2, subdevice: n.3, classCode: n.4, classMask: n.5))
        case Int(BR_DEVICE_ADD.rawValue):
            var ids: PCIDeviceIDs?
            if r.flags & UInt8(BINDRACE_F_PCI_IDS) != 0 {
                ids = PCIDeviceIDs(
                    vendor: UInt16(truncatingIfNeeded: n.0), device: UInt16(truncatingIfNeeded: n.1),
                    subvendor: UInt16(truncatingIfNeeded: n.2), subdevice: UInt16(truncatingIfNeeded: n.3),
                    classCode: n.4)
            }
            return .deviceAdd(DeviceAddition(
                device: s0(), bus: s1(), devpath: s2(), pci: ids,
                isVirtualFunction: r.flags & UInt8(BINDRACE_F_VIRTFN) != 0,
                autoprobe: r.flags & UInt8(BINDRACE_F_AUTOPROBE) != 0))
        case Int(BR_DRIVER_OVERRIDE.rawValue):
            return .driverOverrideWritten(device: s0(), driver: n.0 == 0 ? "" : Self.sysfsWord(s2()))
        case Int(BR_SYSFS_BIND.rawValue):
            return .sysfsBind(device: Self.sysfsWord(s2()), driver: s1(), result: r.result)
        case Int(BR_SYSFS_UNBIND.rawValue):
            return .sysfsUnbind(device: Self.sysfsWord(s2()), driver: s1(), result: r.result)
        case Int(BR_SYSFS_DRIVERS_PROBE.rawValue):
            return .sysfsDriversProbe(device: Self.sysfsWord(s2()), result: r.result)
        case Int(BR_SYSFS_NEW_ID.rawValue), Int(BR_SYSFS_REMOVE_ID.rawValue):
            // A failed write changed nothing; another bus's new_id is not a PCI id.
            let bus = s0()
            guard r.result >= 0, bus.isEmpty || bus == "pci", let id = Self.parseNewID(s2()) else { return nil }
            return Int(r.kind) == Int(BR_SYSFS_NEW_ID.rawValue)
                ? .sysfsNewID(driver: s1(), id: id) : .sysfsRemoveID(driver: s1(), id: id)
        case Int(BR_PROBE_START.rawValue):
            return .probeStart(device: s0(), driver: s1(), isAsync: r.flags & UInt8(BINDRACE_F_ASYNC) != 0)
        case Int(BR_PROBE_END.rawValue):
            return .probeEnd(device: s0(), driver: s1(), result: r.result)
        case Int(BR_BOUND.rawValue):
            return .bound(device: s0(), driver: s1())
        case Int(BR_UNBOUND.rawValue):
            return .unbound(device: s0(), driver: s1())
        case Int(BR_ASYNC_SCHEDULED.rawValue):
            return .asyncScheduled(cookie: r.u0, function: symbolName(r.u1), device: s0())
        case Int(BR_ASYNC_RUN_START.rawValue):
            return .asyncRunStart(cookie: r.u0)
        case Int(BR_ASYNC_RUN_END.rawValue):
            return .asyncRunEnd(cookie: r.u0)
        case Int(BR_ASYNC_SYNCHRONIZE.rawValue):
            // ASYNC_COOKIE_MAX (async_synchronize_full) means "everything": 0 in the trace.
            return .asyncSynchronize(cookie: r.u0 == UInt64.max ? 0 : r.u0)
        case Int(BR_WORK_QUEUED.rawValue):
            return .workQueued(work: r.u0, function: symbolName(r.u1))
        case Int(BR_WORK_START.rawValue):
            return .workStart(work: r.u0, function: symbolName(r.u1))
        case Int(BR_WORK_END.rawValue):
            return .workEnd(work: r.u0)
        case Int(BR_UEVENT.rawValue):
            return nil  // needs the message bytes: event(from: UnsafeRawBufferPointer)
        case Int(BR_MARKER.rawValue):
            return .marker(label: "selftest", value: r.u0)
        default:
            return nil
        }
    }

    /// A NUL-terminated fixed-size C array as a string.
    @inline(__always)
    public static func string<T>(_ tuple: T) -> String {
        withUnsafeBytes(of: tuple) { bytes in
            let end = bytes.firstIndex(of: 0) ?? bytes.count
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
        }
    }

    /// What a sysfs store received, as the kernel uses it: up to the first
    /// newline, without surrounding blanks.
    public static func sysfsWord(_ text: String) -> String {
        let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(line.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    /// The shell's view of a wait status: the exit code, or 128 + signal.
    public static func exitCode(status: Int32) -> Int32 {
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// new_id / remove_id text: "vendor device [subvendor subdevice [class
    /// class_mask [driver_data]]]" in hex, as pci-driver.c parses it.
    public static func parseNewID(_ text: String) -> PCIMatchID? {
        let fields = sysfsWord(text).split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 2 else { return nil }
        var values: [UInt32] = []
        for field in fields.prefix(6) {
            var digits = Substring(field)
            if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
            guard let value = UInt32(digits, radix: 16) else { break }
            values.append(value)
        }
        guard values.count >= 2 else { return nil }
        func at(_ i: Int, _ fallback: UInt32) -> UInt32 { i < values.count ? values[i] : fallback }
        return PCIMatchID(
            vendor: values[0], device: values[1],
            subvendor: at(2, PCIMatchID.any), subdevice: at(3, PCIMatchID.any),
            classCode: at(4, 0), classMask: at(5, 0))
    }
}
