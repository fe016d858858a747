import BindraceTrace

/// drivers/pci/pci-driver.c pci_match_device, plus the SR-IOV probe gate of
/// pci_device_probe (pci_device_can_probe).
public enum PCIMatcher {
    /// What the device looks like to the driver core at match time.
    public struct Device: Hashable, Sendable {
        public var ids: PCIDeviceIDs
        public var driverOverride: String?
        public var isVirtualFunction: Bool
        /// The physical function's sriov_drivers_autoprobe (VFs only).
        public var physicalFunctionAutoprobe: Bool

        public init(ids: PCIDeviceIDs, driverOverride: String? = nil, isVirtualFunction: Bool = false, physicalFunctionAutoprobe: Bool = true) {
            self.ids = ids
            self.driverOverride = driverOverride
            self.isVirtualFunction = isVirtualFunction
            self.physicalFunctionAutoprobe = physicalFunctionAutoprobe
        }
    }

    public struct Driver: Hashable, Sendable {
        public var name: String
        public var staticIDs: [PCIStaticID]
        public var dynamicIDs: [DynamicID]

        public init(name: String, staticIDs: [PCIStaticID] = [], dynamicIDs: [DynamicID] = []) {
            self.name = name
            self.staticIDs = staticIDs
            self.dynamicIDs = dynamicIDs
        }

        /// vfio-pci's own table: one override_only entry matching any device.
        public static func vfioPCI(dynamicIDs: [DynamicID] = []) -> Driver {
            Driver(name: "vfio-pci", staticIDs: [PCIStaticID(id: PCIMatchID(vendor: PCIMatchID.any, device: PCIMatchID.any), overrideOnly: true)], dynamicIDs: dynamicIDs)
        }
    }

    public enum Result: Hashable, Sendable {
        /// driver_override is set and names another driver.
        case excludedByOverride(String)
        case dynamicID(DynamicID)
        case staticID(index: Int, PCIStaticID)
        /// driver_override names this driver; no id matched (dummy id).
        case overrideDummy
        case noMatch

        public var matches: Bool {
            switch self {
            case .dynamicID, .staticID, .overrideDummy: true
            case .excludedByOverride, .noMatch: false
            }
        }
    }

    public static func match(driver: Driver, device: Device) -> Result {
        // 1. driver_override set and different: no match at all.
        if let o = device.driverOverride, o != driver.name { return .excludedByOverride(o) }
        // 2. Dynamic ids first.
        if let dyn = driver.dynamicIDs.first(where: { $0.id.matches(device.ids) }) { return .dynamicID(dyn) }
        // 3. Static table; override_only entries only under driver_override.
        for (index, entry) in driver.staticIDs.enumerated() where entry.id.matches(device.ids) {
            if entry.overrideOnly && device.driverOverride == nil { continue }
            return .staticID(index: index, entry)
        }
        // 4. driver_override naming this driver always matches.
        if device.driverOverride == driver.name { return .overrideDummy }
        return .noMatch
    }

    /// pci_device_can_probe: a VF is probed only if its PF autoprobes or the
    /// VF has a driver_override.
    public static func canProbe(_ device: Device) -> Bool {
        !device.isVirtualFunction || device.physicalFunctionAutoprobe || device.driverOverride != nil
    }
}
