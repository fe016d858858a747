import BindraceTrace

/// The driver core (drivers/base/dd.c, bus.c; drivers/pci/pci-driver.c) as a
/// value: registered drivers in registration order, devices with their
/// override, binding, deferral and pending async probe. `apply` runs one step
/// to completion; async probes a step schedules stay in `jobs` until `runJob`.
public struct DriverCoreState: Hashable {
    public struct Driver: Hashable {
        public var name: String
        public var module: String?
        public var isAsync: Bool
        public var dynamicIDs: [PCIMatchID] = []
    }

    public struct Device: Hashable {
        public var present = false
        public var override: String?
        public var bound: String?
        /// Step that bound it (for explanations).
        public var boundBy: Int?
        public var deferred = false
        /// __driver_attach's dev->p->async_driver.
        public var asyncDriver: String?

        // Each change of several fields in one access: the devices are keyed
        // by name, and every separate write hashed it again.
        mutating func remove() {
            present = false
            bound = nil
            deferred = false
        }

        mutating func unbind(_ driver: String) {
            guard bound == driver else { return }
            bound = nil
            boundBy = nil
        }

        mutating func bind(_ driver: String, by step: Int) {
            bound = driver
            boundBy = step
            deferred = false
        }

        /// Marks it deferred; true when it was not already.
        mutating func deferNow() -> Bool {
            guard !deferred else { return false }
            deferred = true
            return true
        }
    }

    /// An async probe waiting for a kworker.
    public enum Job: Hashable {
        /// __device_attach_async_helper: walk the async drivers.
        case deviceAttach(String, scheduledBy: Int)
        /// __driver_attach_async_helper: probe dev->p->async_driver.
        case driverAttach(String, scheduledBy: Int)

        public var device: String {
            switch self {
            case .deviceAttach(let d, _), .driverAttach(let d, _): d
            }
        }
    }

    public var drivers: [Driver] = []
    public var devices: [String: Device] = [:]
    /// Bus order of devices (klist order: device_add order).
    public var deviceOrder: [String] = []
    public var jobs: [Job] = []
    public var deferredList: [String] = []
    var attempts: [ProbeOutcomes.Pair: Int] = [:]

    public init() {}

    // MARK: steps

    public mutating func apply(_ action: StepAction, step: Int, context: SimulationContext) {
        switch action {
        case .deviceAdd(let name):
            if devices[name]?.present != true {
                devices[name] = Device(present: true)
                if !deviceOrder.contains(name) { deviceOrder.append(name) }
            }
            deviceAttach(name, allowAsync: true, step: step, context: context)
        case .deviceRemove(let name):
            devices[name]?.remove()
            deferredList.removeAll { $0 == name }
        case .driverRegister(let name, let module, let isAsync):
            guard !drivers.contains(where: { $0.name == name }) else { return }
            drivers.append(Driver(name: name, module: module, isAsync: isAsync))
            driverAttach(drivers.count - 1, step: step, context: context)
        case .addID(let name, let id):
            guard let i = drivers.firstIndex(where: { $0.name == name }) else { return }
            drivers[i].dynamicIDs.append(id)
            driverAttach(i, step: step, context: context)
        case .removeID(let name, let id):
            guard let i = drivers.firstIndex(where: { $0.name == name }) else { return }
            drivers[i].dynamicIDs.removeAll { $0 == id }
        case .setOverride(let device, let driver):
            guard devices[device]?.present == true else { return }
            devices[device]!.override = driver
        case .bind(let device, let driver):
            guard let dev = devices[device], dev.present, dev.bound == nil,
                  let i = drivers.firstIndex(where: { $0.name == driver }),
                  matches(drivers[i], device, context: context) else { return }
            _ = probe(drivers[i], device, step: step, context: context)
        case .unbind(let device, let driver):
            devices[device]?.unbind(driver)
        case .driversProbe(let device):
            deviceAttach(device, allowAsync: false, step: step, context: context)
        case .asyncBarrier:
            while !jobs.isEmpty { runJob(0, context: context) }
        case .deferredRetry:
            let list = deferredList
            deferredList.removeAll()
            for name in list {
                devices[name]?.deferred = false
                deviceAttach(name, allowAsync: true, step: step, context: context)
            }
        }
    }

    /// Runs the pending async probe at `index` of `jobs`.
    public mutating func runJob(_ index: Int, context: SimulationContext) {
        let job = jobs.remove(at: index)
        switch job {
        case .deviceAttach(let name, let step):
            guard let dev = devices[name], dev.present, dev.bound == nil else { return }
            for driver in drivers where driver.isAsync && matches(driver, name, context: context) {
                let r = probe(driver, name, step: step, context: context)
                if devices[name]?.bound != nil || ProbeResult.stopsWalk(r) { return }
            }
        case .driverAttach(let name, let step):
            guard let driverName = devices[name]?.asyncDriver else { return }
            devices[name]!.asyncDriver = nil
            guard let dev = devices[name], dev.present, dev.bound == nil,
                  let driver = drivers.first(where: { $0.name == driverName }) else { return }
            _ = probe(driver, name, step: step, context: context)
        }
    }

    // MARK: the driver core's walks

    /// __device_attach: sync drivers in list order; if none bound and async
    /// is allowed and an async driver matched, schedule the async walk.
    mutating func deviceAttach(_ name: String, allowAsync: Bool, step: Int, context: SimulationContext) {
        guard let dev = devices[name], dev.present, dev.bound == nil else { return }
        var haveAsync = false
        for driver in drivers where matches(driver, name, context: context) {
            if allowAsync && driver.isAsync {
                haveAsync = true
                continue
            }
            let r = probe(driver, name, step: step, context: context)
            if devices[name]?.bound != nil || ProbeResult.stopsWalk(r) { return }
        }
        if haveAsync { jobs.append(.deviceAttach(name, scheduledBy: step)) }
    }

    /// driver_attach: every present, unbound, matching device in bus order.
    mutating func driverAttach(_ index: Int, step: Int, context: SimulationContext) {
        let driver = drivers[index]
        for name in deviceOrder {
            guard let dev = devices[name], dev.present, dev.bound == nil,
                  matches(driver, name, context: context) else { continue }
            if driver.isAsync {
                if dev.asyncDriver == nil {
                    devices[name]!.asyncDriver = driver.name
                    jobs.append(.driverAttach(name, scheduledBy: step))
                }
            } else {
                _ = probe(driver, name, step: step, context: context)
            }
        }
    }

    /// pci_bus_match → pci_match_device.
    func matches(_ driver: Driver, _ device: String, context: SimulationContext) -> Bool {
        let override = devices[device]?.override
        if let override, override != driver.name { return false }
        // The device's ids looked up once for both questions.
        guard let ids = context.devices[device]?.ids else { return override == driver.name }
        if driver.dynamicIDs.contains(where: { $0.matches(ids) }) { return true }
        switch context.staticMatch(driver: driver.name, module: driver.module, ids: ids) {
        case .match: return true
        case .overrideOnly: if override != nil { return true }
        case .none: break
        }
        return override == driver.name
    }

    /// driver_probe_device: -EBUSY when bound; the SR-IOV gate
    /// (pci_device_can_probe) fails a VF whose PF does not autoprobe and that
    /// has no override; else the observed outcome of this attempt.
    mutating func probe(_ driver: Driver, _ device: String, step: Int, context: SimulationContext) -> Int32 {
        guard devices[device]?.bound == nil else { return ProbeResult.busy }
        if let info = context.devices[device], info.isVirtualFunction, !info.autoprobe, devices[device]?.override == nil {
            return 19  // ENODEV, positive as really_probe returns it
        }
        let attempt = Self.takeNext(&attempts[ProbeOutcomes.Pair(device: device, driver: driver.name), default: 0])
        // The context's remembered lists: `ProbeOutcomes.result` hashed both names at every probe.
        let r = context.probeResults(device: device, driver: driver.name).map { $0[min(attempt, $0.count - 1)] } ?? 0
        if r == 0 {
            devices[device]!.bind(driver.name, by: step)
            deferredList.removeAll { $0 == device }
        } else if ProbeResult.isDefer(r) {
            if devices[device]!.deferNow() { deferredList.append(device) }
        }
        return r
    }

    /// The count's value, counted up: one lookup of a dictionary entry
    /// instead of a read and a write (each hashing the pair's names).
    private static func takeNext(_ count: inout Int) -> Int {
        defer { count += 1 }
        return count
    }

    /// The device's driver at the end, nil when unbound or gone.
    public func winner(_ device: String) -> String? {
        guard let dev = devices[device], dev.present else { return nil }
        return dev.bound
    }
}
