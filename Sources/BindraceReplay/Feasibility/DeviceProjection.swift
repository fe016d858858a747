import BindraceTrace

/// The steps that can change one device's outcome. Devices do not interact
/// in the model (a probe touches only its device; the deferred retry and
/// async barriers are steps of their own), so the orderings of this subset,
/// restricted happens-before, give exactly the device's outcomes over all
/// orderings of the whole trace: a linear extension of a restricted order
/// always extends to the whole order. The oracle checks this claim.
public struct DeviceProjection {
    public var device: String
    public var steps: [Step]
    /// Drivers that could claim the device, registration order first.
    public var candidates: [String]
    /// Drivers named by an override that never registered.
    public var missingOverrideDrivers: [String]
    /// Drivers configured for this device specifically: a dynamic id matching
    /// it, an override or a sysfs bind naming them (a static override_only
    /// entry, like vfio-pci's catch-all, does not count).
    public var configuredDrivers: Set<String>

    public init(device: String, steps allSteps: [Step], context: SimulationContext, asyncDrivers: Set<String>) {
        self.device = device
        let ids = context.devices[device]?.ids
        var named = Set<String>()
        var registered: [String] = []
        var moduleOf: [String: String?] = [:]
        for step in allSteps {
            switch step.action {
            case .setOverride(let d, let driver?) where d == device: named.insert(driver)
            case .bind(let d, let driver) where d == device: named.insert(driver)
            case .addID(let driver, let id) where ids.map(id.matches) == true: named.insert(driver)
            case .driverRegister(let driver, let module, _):
                if !registered.contains(driver) { registered.append(driver) }
                moduleOf[driver] = module
            default: break
            }
        }
        func candidate(_ driver: String) -> Bool {
            named.contains(driver) || context.staticMatch(driver: driver, module: moduleOf[driver] ?? nil, device: device) != .none
        }
        let cands = registered.filter(candidate)
        let candSet = Set(cands)
        candidates = cands
        missingOverrideDrivers = named.subtracting(registered).sorted()
        configuredDrivers = named
        let anyAsync = cands.contains { asyncDrivers.contains($0) }
        let mayDefer = context.outcomes.mayDefer(device: device)
        let firstAdd = allSteps.first { if case .deviceAdd(let d) = $0.action { d == device } else { false } }

        var chosen: [Step] = []
        for step in allSteps {
            let keep: Bool
            switch step.action {
            case .deviceAdd(let d), .deviceRemove(let d), .driversProbe(let d): keep = d == device
            case .setOverride(let d, _), .bind(let d, _), .unbind(let d, _): keep = d == device
            case .driverRegister(let driver, _, _): keep = candSet.contains(driver)
            // pci_add_dynid runs driver_attach over every device: it also
            // binds a device the driver matches some other way (override).
            case .addID(let driver, let id): keep = candSet.contains(driver) || ids.map(id.matches) == true
            case .removeID(_, let id): keep = ids.map(id.matches) == true
            case .asyncBarrier, .deferredRetry:
                let wanted: Bool
                if case .asyncBarrier = step.action { wanted = anyAsync } else { wanted = mayDefer }
                // Before the device exists nothing of it can be pending.
                if wanted, let add = firstAdd, step.stamp.precedesOrEquals(add.stamp) { keep = false } else { keep = wanted }
            }
            if keep { chosen.append(step) }
        }
        steps = chosen
    }
}
