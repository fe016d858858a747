/// A PCI device as sysfs showed it when the snapshot was taken.
public struct PCIDeviceSnapshot: Hashable, Sendable, Codable {
    /// Domain:bus:device.function, e.g. `0000:01:00.0`.
    public var address: String
    public var ids: PCIDeviceIDs
    public var modalias: String
    public var driverOverride: String?
    /// The bound driver's name, if any.
    public var driver: String?
    public var iommuGroup: Int?
    /// For an SR-IOV virtual function: its physical function's address.
    public var physicalFunction: String?
    /// For a physical function: sriov_totalvfs, sriov_numvfs, sriov_drivers_autoprobe.
    public var sriovTotalVFs: Int?
    public var sriovNumVFs: Int?
    public var sriovDriversAutoprobe: Bool?

    public init(
        address: String, ids: PCIDeviceIDs, modalias: String = "", driverOverride: String? = nil,
        driver: String? = nil, iommuGroup: Int? = nil, physicalFunction: String? = nil,
        sriovTotalVFs: Int? = nil, sriovNumVFs: Int? = nil, sriovDriversAutoprobe: Bool? = nil
    ) {
        self.address = address
        self.ids = ids
        self.modalias = modalias
        self.driverOverride = driverOverride
        self.driver = driver
        self.iommuGroup = iommuGroup
        self.physicalFunction = physicalFunction
        self.sriovTotalVFs = sriovTotalVFs
        self.sriovNumVFs = sriovNumVFs
        self.sriovDriversAutoprobe = sriovDriversAutoprobe
    }

    enum CodingKeys: String, CodingKey {
        case address, ids, modalias, driver
        case driverOverride = "driver_override"
        case iommuGroup = "iommu_group"
        case physicalFunction = "physfn"
        case sriovTotalVFs = "sriov_totalvfs"
        case sriovNumVFs = "sriov_numvfs"
        case sriovDriversAutoprobe = "sriov_drivers_autoprobe"
    }
}
