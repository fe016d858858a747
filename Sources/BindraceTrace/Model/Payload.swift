/// What happened, with its kind-specific fields. Strings are resolved; the
/// stored form (`RawEvent`) keeps string ids instead.
public enum Payload: Hashable, Sendable {
    case processFork(childPID: UInt32, childTID: UInt32, isThread: Bool)
    case processExec(filename: String)
    case processExit(code: Int32)
    /// The task reaped (or was woken by the exit of) `childPID`.
    case processWait(childPID: UInt32)

    case moduleLoad(module: String)
    /// Kernel-initiated request_module; `wait` is whether the requester blocks.
    case moduleRequest(name: String, wait: Bool)
    /// do_init_module returned (the module's init, and sync probes, are done).
    case moduleInitDone(module: String, result: Int32)

    case driverRegisterStart(driver: String, bus: String, probeType: ProbeType)
    case driverRegisterEnd(driver: String, bus: String, result: Int32)
    /// pci_add_dynid: from `new_id` or a module's `ids=` parameter.
    case dynamicIDAdded(driver: String, id: PCIMatchID)

    case deviceAdd(DeviceAddition)
    case deviceRemove(device: String, bus: String)

    /// `driver_override` written; an empty driver clears it.
    case driverOverrideWritten(device: String, driver: String)
    case sysfsBind(device: String, driver: String, result: Int32)
    case sysfsUnbind(device: String, driver: String, result: Int32)
    case sysfsDriversProbe(device: String, result: Int32)
    case sysfsNewID(driver: String, id: PCIMatchID)
    case sysfsRemoveID(driver: String, id: PCIMatchID)

    case probeStart(device: String, driver: String, isAsync: Bool)
    /// really_probe's result: 0 bound, positive errno on probe failure (6.1),
    /// -EPROBE_DEFER, or -EBUSY from driver_probe_device.
    case probeEnd(device: String, driver: String, result: Int32)
    case bound(device: String, driver: String)
    case unbound(device: String, driver: String)

    case asyncScheduled(cookie: UInt64, function: String, device: String)
    case asyncRunStart(cookie: UInt64)
    case asyncRunEnd(cookie: UInt64)
    /// async_synchronize_cookie returned: every async entry before `cookie` has
    /// run. 0 means all (async_synchronize_full).
    case asyncSynchronize(cookie: UInt64)
    case workQueued(work: UInt64, function: String)
    case workStart(work: UInt64, function: String)
    case workEnd(work: UInt64)

    case uevent(action: UeventAction, devpath: String, seqnum: UInt64, subsystem: String)

    case marker(label: String, value: UInt64)
    /// `count` events were lost on the event's CPU.
    case lost(count: UInt64)

    public var kind: EventKind {
        switch self {
        case .processFork: .processFork
        case .processExec: .processExec
        case .processExit: .processExit
        case .processWait: .processWait
        case .moduleLoad: .moduleLoad
        case .moduleRequest: .moduleRequest
        case .moduleInitDone: .moduleInitDone
        case .driverRegisterStart: .driverRegisterStart
        case .driverRegisterEnd: .driverRegisterEnd
        case .dynamicIDAdded: .dynamicIDAdded
        case .deviceAdd: .deviceAdd
        case .deviceRemove: .deviceRemove
        case .driverOverrideWritten: .driverOverrideWritten
        case .sysfsBind: .sysfsBind
        case .sysfsUnbind: .sysfsUnbind
        case .sysfsDriversProbe: .sysfsDriversProbe
        case .sysfsNewID: .sysfsNewID
        case .sysfsRemoveID: .sysfsRemoveID
        case .probeStart: .probeStart
        case .probeEnd: .probeEnd
        case .bound: .bound
        case .unbound: .unbound
        case .asyncScheduled: .asyncScheduled
        case .asyncRunStart: .asyncRunStart
        case .asyncRunEnd: .asyncRunEnd
        case .asyncSynchronize: .asyncSynchronize
        case .workQueued: .workQueued
        case .workStart: .workStart
        case .workEnd: .workEnd
        case .uevent: .uevent
        case .marker: .marker
        case .lost: .lost
        }
    }
}
