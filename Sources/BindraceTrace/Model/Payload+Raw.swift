// The mapping between typed payloads and the stored record's slots. The slot
// table in docs/trace-format.md is the same mapping in prose.

/// Bits of `RawEvent.flags` with a kind-specific meaning.
public enum RawFlags {
    // Inlinable values, not stored constants: another module reads a stored
    // one through a call to its addressor, on the replay's per-event paths.
    /// process_fork: the child is a thread of the parent (CLONE_THREAD).
    @inlinable public static var thread: UInt8 { 1 << 0 }
    /// module_request: the requester waits for modprobe.
    @inlinable public static var wait: UInt8 { 1 << 0 }
    /// probe_start: the probe runs asynchronously.
    @inlinable public static var async: UInt8 { 1 << 0 }
    /// device_add: PCI ids are present.
    @inlinable public static var hasPCIIDs: UInt8 { 1 << 0 }
    /// device_add: an SR-IOV virtual function.
    @inlinable public static var virtualFunction: UInt8 { 1 << 1 }
    /// device_add: the PF had sriov_drivers_autoprobe set.
    @inlinable public static var autoprobe: UInt8 { 1 << 2 }
    /// Match ids: vendor, device, subvendor, subdevice is PCI_ANY_ID.
    @inlinable public static var anyVendor: UInt8 { 1 << 0 }
    @inlinable public static var anyDevice: UInt8 { 1 << 1 }
    @inlinable public static var anySubvendor: UInt8 { 1 << 2 }
    @inlinable public static var anySubdevice: UInt8 { 1 << 3 }
}

extension Payload {
    /// Fills the kind and argument slots of `raw`, interning strings.
    public func store(into raw: inout RawEvent, strings: inout StringInterner) {
        raw.kindByte = kind.rawValue
        raw.flags = 0
        raw.a0 = 0
        raw.a1 = 0
        raw.a2 = 0
        raw.a3 = 0
        raw.a4 = 0
        switch self {
        case .processFork(let childPID, let childTID, let isThread):
            raw.a0 = childPID
            raw.a1 = childTID
            raw.flags = isThread ? RawFlags.thread : 0
        case .processExec(let filename):
            raw.a0 = strings.intern(filename)
        case .processExit(let code):
            raw.a3 = UInt32(bitPattern: code)
        case .processWait(let childPID):
            raw.a0 = childPID
        case .moduleLoad(let module):
            raw.a0 = strings.intern(module)
        case .moduleRequest(let name, let wait):
            raw.a0 = strings.intern(name)
            raw.flags = wait ? RawFlags.wait : 0
        case .moduleInitDone(let module, let result):
            raw.a0 = strings.intern(module)
            raw.a3 = UInt32(bitPattern: result)
        case .driverRegisterStart(let driver, let bus, let probeType):
            raw.a1 = strings.intern(driver)
            raw.a0 = strings.intern(bus)
            raw.a2 = probeType.rawValue
        case .driverRegisterEnd(let driver, let bus, let result):
            raw.a1 = strings.intern(driver)
            raw.a0 = strings.intern(bus)
            raw.a3 = UInt32(bitPattern: result)
        case .dynamicIDAdded(let driver, let id), .sysfsNewID(let driver, let id), .sysfsRemoveID(let driver, let id):
            raw.a1 = strings.intern(driver)
            Self.storeMatchID(id, into: &raw)
        case .deviceAdd(let addition):
            raw.a0 = strings.intern(addition.device)
            raw.a1 = strings.intern(addition.bus)
            let devpath = strings.intern(addition.devpath)
            if let ids = addition.pci {
                raw.flags |= RawFlags.hasPCIIDs
                raw.a2 = UInt32(ids.vendor) << 16 | UInt32(ids.device)
                raw.a3 = UInt32(ids.subvendor) << 16 | UInt32(ids.subdevice)
                raw.a4 = UInt64(ids.classCode & 0xFF_FFFF)
            }
            raw.a4 |= UInt64(devpath) << 32
            if addition.isVirtualFunction { raw.flags |= RawFlags.virtualFunction }
            if addition.autoprobe { raw.flags |= RawFlags.autoprobe }
        case .deviceRemove(let device, let bus):
            raw.a0 = strings.intern(device)
            raw.a1 = strings.intern(bus)
        case .driverOverrideWritten(let device, let driver):
            raw.a0 = strings.intern(device)
            raw.a1 = strings.intern(driver)
        case .sysfsBind(let device, let driver, let result), .sysfsUnbind(let device, let driver, let result):
            raw.a0 = strings.intern(device)
            raw.a1 = strings.intern(driver)
            raw.a3 = UInt32(bitPattern: result)
        case .sysfsDriversProbe(let device, let result):
            raw.a0 = strings.intern(device)
            raw.a3 = UInt32(bitPattern: result)
        case .probeStart(let device, let driver, let isAsync):
            raw.a0 = strings.intern(device)
            raw.a1 = strings.intern(driver)
            raw.flags = isAsync ? RawFlags.async : 0
        case .probeEnd(let device, let driver, let result):
            raw.a0 = strings.intern(device)
            raw.a1 = strings.intern(driver)
            raw.a3 = UInt32(bitPattern: result)
        case .bound(let device, let driver), .unbound(let device, let driver):
            raw.a0 = strings.intern(device)
            raw.a1 = strings.intern(driver)
        case .asyncScheduled(let cookie, let function, let device):
            raw.a0 = strings.intern(device)
            raw.a2 = strings.intern(function)
            raw.a4 = cookie
        case .asyncRunStart(let cookie), .asyncRunEnd(let cookie), .asyncSynchronize(let cookie):
            raw.a4 = cookie
        case .workQueued(let work, let function), .workStart(let work, let function):
            raw.a2 = strings.intern(function)
            raw.a4 = work
        case .workEnd(let work):
            raw.a4 = work
        case .uevent(let action, let devpath, let seqnum, let subsystem):
            raw.a0 = strings.intern(devpath)
            raw.a1 = action.rawValue
            raw.a2 = strings.intern(subsystem)
            raw.a4 = seqnum
        case .marker(let label, let value):
            raw.a0 = strings.intern(label)
            raw.a4 = value
        case .lost(let count):
            raw.a4 = count
        }
    }

    /// The typed payload of `raw`; nil for a kind (or enum value) this
    /// version does not know.
    public init?(raw: RawEvent, strings: StringTable) {
        guard let kind = raw.kind else { return nil }
        let s0 = { strings[raw.a0] }
        let s1 = { strings[raw.a1] }
        let result = Int32(bitPattern: raw.a3)
        switch kind {
        case .processFork: self = .processFork(childPID: raw.a0, childTID: raw.a1, isThread: raw.flags & RawFlags.thread != 0)
        case .processExec: self = .processExec(filename: s0())
        case .processExit: self = .processExit(code: result)
        case .processWait: self = .processWait(childPID: raw.a0)
        case .moduleLoad: self = .moduleLoad(module: s0())
        case .moduleRequest: self = .moduleRequest(name: s0(), wait: raw.flags & RawFlags.wait != 0)
        case .moduleInitDone: self = .moduleInitDone(module: s0(), result: result)
        case .driverRegisterStart:
            guard let type = ProbeType(rawValue: raw.a2) else { return nil }
            self = .driverRegisterStart(driver: s1(), bus: s0(), probeType: type)
        case .driverRegisterEnd: self = .driverRegisterEnd(driver: s1(), bus: s0(), result: result)
        case .dynamicIDAdded: self = .dynamicIDAdded(driver: s1(), id: Self.matchID(raw))
        case .sysfsNewID: self = .sysfsNewID(driver: s1(), id: Self.matchID(raw))
        case .sysfsRemoveID: self = .sysfsRemoveID(driver: s1(), id: Self.matchID(raw))
        case .deviceAdd:
            var ids: PCIDeviceIDs?
            if raw.flags & RawFlags.hasPCIIDs != 0 {
                ids = PCIDeviceIDs(
                    vendor: UInt16(raw.a2 >> 16), device: UInt16(raw.a2 & 0xFFFF),
                    subvendor: UInt16(raw.a3 >> 16), subdevice: UInt16(raw.a3 & 0xFFFF),
                    classCode: UInt32(raw.a4 & 0xFF_FFFF))
            }
            self = .deviceAdd(DeviceAddition(
                device: s0(), bus: s1(), devpath: strings[StringID(raw.a4 >> 32)], pci: ids,
                isVirtualFunction: raw.flags & RawFlags.virtualFunction != 0,
                autoprobe: raw.flags & RawFlags.autoprobe != 0))
        case .deviceRemove: self = .deviceRemove(device: s0(), bus: s1())
        case .driverOverrideWritten: self = .driverOverrideWritten(device: s0(), driver: s1())
        case .sysfsBind: self = .sysfsBind(device: s0(), driver: s1(), result: result)
        case .sysfsUnbind: self = .sysfsUnbind(device: s0(), driver: s1(), result: result)
        case .sysfsDriversProbe: self = .sysfsDriversProbe(device: s0(), result: result)
        case .probeStart: self = .probeStart(device: s0(), driver: s1(), isAsync: raw.flags & RawFlags.async != 0)
        case .probeEnd: self = .probeEnd(device: s0(), driver: s1(), result: result)
        case .bound: self = .bound(device: s0(), driver: s1())
        case .unbound: self = .unbound(device: s0(), driver: s1())
        case .asyncScheduled: self = .asyncScheduled(cookie: raw.a4, function: strings[raw.a2], device: s0())
        case .asyncRunStart: self = .asyncRunStart(cookie: raw.a4)
        case .asyncRunEnd: self = .asyncRunEnd(cookie: raw.a4)
        case .asyncSynchronize: self = .asyncSynchronize(cookie: raw.a4)
        case .workQueued: self = .workQueued(work: raw.a4, function: strings[raw.a2])
        case .workStart: self = .workStart(work: raw.a4, function: strings[raw.a2])
        case .workEnd: self = .workEnd(work: raw.a4)
        case .uevent:
            guard let action = UeventAction(rawValue: raw.a1) else { return nil }
            self = .uevent(action: action, devpath: s0(), seqnum: raw.a4, subsystem: strings[raw.a2])
        case .marker: self = .marker(label: s0(), value: raw.a4)
        case .lost: self = .lost(count: raw.a4)
        }
    }

    // Ids are 16-bit in PCI config space; PCI_ANY_ID travels as a flag bit.
    // A stated id above 0xffff (other than ANY) can match no device and is
    // stored as its low 16 bits.
    private static func storeMatchID(_ id: PCIMatchID, into raw: inout RawEvent) {
        func half(_ v: UInt32, _ anyBit: UInt8) -> UInt32 {
            if v == PCIMatchID.any { raw.flags |= anyBit; return 0 }
            return v & 0xFFFF
        }
        raw.a2 = half(id.vendor, RawFlags.anyVendor) << 16 | half(id.device, RawFlags.anyDevice)
        raw.a3 = half(id.subvendor, RawFlags.anySubvendor) << 16 | half(id.subdevice, RawFlags.anySubdevice)
        raw.a4 = UInt64(id.classCode & 0xFF_FFFF) | UInt64(id.classMask & 0xFF_FFFF) << 32
    }

    private static func matchID(_ raw: RawEvent) -> PCIMatchID {
        func half(_ v: UInt32, _ anyBit: UInt8) -> UInt32 { raw.flags & anyBit != 0 ? PCIMatchID.any : v }
        return PCIMatchID(
            vendor: half(raw.a2 >> 16, RawFlags.anyVendor), device: half(raw.a2 & 0xFFFF, RawFlags.anyDevice),
            subvendor: half(raw.a3 >> 16, RawFlags.anySubvendor), subdevice: half(raw.a3 & 0xFFFF, RawFlags.anySubdevice),
            classCode: UInt32(raw.a4 & 0xFF_FFFF), classMask: UInt32((raw.a4 >> 32) & 0xFF_FFFF))
    }
}

extension Event {
    /// The stored record, interning this event's strings.
    public func raw(strings: inout StringInterner) -> RawEvent {
        var raw = RawEvent(timestamp: timestamp, pid: pid, tid: tid, comm: strings.intern(comm), cpu: cpu)
        payload.store(into: &raw, strings: &strings)
        return raw
    }

    public init?(raw: RawEvent, strings: StringTable) {
        guard let payload = Payload(raw: raw, strings: strings) else { return nil }
        self.init(timestamp: raw.timestamp, cpu: raw.cpu, pid: raw.pid, tid: raw.tid, comm: strings[raw.comm], payload: payload)
    }
}
