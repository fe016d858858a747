/// What an event records. Raw values are the on-disk `kind` byte and never change;
/// new kinds get new values, and readers skip values they do not know.
public enum EventKind: UInt8, CaseIterable, Sendable {
    case processFork = 1
    case processExec = 2
    case processExit = 3
    case processWait = 4

    case moduleLoad = 10
    case moduleRequest = 11
    case moduleInitDone = 12

    case driverRegisterStart = 20
    case driverRegisterEnd = 21
    case dynamicIDAdded = 22

    case deviceAdd = 30
    case deviceRemove = 31

    case driverOverrideWritten = 40
    case sysfsBind = 41
    case sysfsUnbind = 42
    case sysfsDriversProbe = 43
    case sysfsNewID = 44
    case sysfsRemoveID = 45

    case probeStart = 50
    case probeEnd = 51
    case bound = 52
    case unbound = 53

    case asyncScheduled = 60
    case asyncRunStart = 61
    case asyncRunEnd = 62
    case asyncSynchronize = 63
    case workQueued = 64
    case workStart = 65
    case workEnd = 66

    case uevent = 70

    case marker = 80
    case lost = 81

    /// The name used for the kind in JSONL and in reports.
    public var name: String {
        switch self {
        case .processFork: "process_fork"
        case .processExec: "process_exec"
        case .processExit: "process_exit"
        case .processWait: "process_wait"
        case .moduleLoad: "module_load"
        case .moduleRequest: "module_request"
        case .moduleInitDone: "module_init_done"
        case .driverRegisterStart: "driver_register_start"
        case .driverRegisterEnd: "driver_register_end"
        case .dynamicIDAdded: "dynamic_id_added"
        case .deviceAdd: "device_add"
        case .deviceRemove: "device_remove"
        case .driverOverrideWritten: "driver_override"
        case .sysfsBind: "sysfs_bind"
        case .sysfsUnbind: "sysfs_unbind"
        case .sysfsDriversProbe: "sysfs_drivers_probe"
        case .sysfsNewID: "sysfs_new_id"
        case .sysfsRemoveID: "sysfs_remove_id"
        case .probeStart: "probe_start"
        case .probeEnd: "probe_end"
        case .bound: "bound"
        case .unbound: "unbound"
        case .asyncScheduled: "async_scheduled"
        case .asyncRunStart: "async_run_start"
        case .asyncRunEnd: "async_run_end"
        case .asyncSynchronize: "async_synchronize"
        case .workQueued: "work_queued"
        case .workStart: "work_start"
        case .workEnd: "work_end"
        case .uevent: "uevent"
        case .marker: "marker"
        case .lost: "lost"
        }
    }

    private static let byName: [String: EventKind] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0.name, $0) })

    public init?(name: String) {
        guard let kind = EventKind.byName[name] else { return nil }
        self = kind
    }
}
