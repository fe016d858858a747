import BindraceTrace

/// One atomic operation on the driver core, as the replay reorders them.
/// Each comes from one trace event (docs/replay.md, "Steps"); what the
/// operation then probes is computed by `DriverCoreState`, not read from the
/// trace, so that other orderings can be simulated.
public enum StepAction: Hashable, Sendable {
    /// device_add: walk the bus's drivers (sync ones now, async ones later).
    case deviceAdd(device: String)
    case deviceRemove(device: String)
    /// bus_add_driver: append to the driver list, then attach every unbound
    /// matching device.
    case driverRegister(driver: String, module: String?, isAsync: Bool)
    /// pci_add_dynid (new_id or ids=): add the id, then attach.
    case addID(driver: String, id: PCIMatchID)
    case removeID(driver: String, id: PCIMatchID)
    /// driver_override written; nil clears it.
    case setOverride(device: String, driver: String?)
    /// sysfs bind: probe this driver now if it matches.
    case bind(device: String, driver: String)
    case unbind(device: String, driver: String)
    /// sysfs drivers_probe: a synchronous walk of every driver.
    case driversProbe(device: String)
    /// async_synchronize: every pending async probe runs first.
    case asyncBarrier
    /// deferred_probe_work_func: retry every deferred device.
    case deferredRetry

    /// The device the step acts on, if it is about one device.
    public var device: String? {
        switch self {
        case .deviceAdd(let d), .deviceRemove(let d), .driversProbe(let d): d
        case .setOverride(let d, _), .bind(let d, _), .unbind(let d, _): d
        default: nil
        }
    }

    /// The driver the step names, if any.
    public var driver: String? {
        switch self {
        case .driverRegister(let d, _, _), .addID(let d, _), .removeID(let d, _): d
        case .setOverride(_, let d): d
        case .bind(_, let d), .unbind(_, let d): d
        default: nil
        }
    }
}

/// A step with where it came from.
public struct Step: Hashable, Sendable {
    public var id: Int
    public var action: StepAction
    public var event: EventRef
    public var stamp: ClockStamp
    /// Index of the event that ends the step in its task (register_end, or
    /// the next step of the task), for the observed replay.
    public var endIndex: Int
    /// Index of the step task's first probe of each device during the step.
    public var firstProbe: [String: Int]

    /// Where the step's effect on `device` happened in the observed run.
    public func observedPosition(for device: String) -> Int {
        firstProbe[device] ?? endIndex
    }
}
