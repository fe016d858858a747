import BindraceTrace

/// What the driver core knows about a device from device_add.
public struct DeviceInfo: Hashable, Sendable {
    public var name: String
    public var ids: PCIDeviceIDs?
    public var devpath: String
    public var isVirtualFunction: Bool
    /// For a VF: its PF's sriov_drivers_autoprobe when the VF was added.
    public var autoprobe: Bool

    public init(name: String, ids: PCIDeviceIDs?, devpath: String = "", isVirtualFunction: Bool = false, autoprobe: Bool = true) {
        self.name = name
        self.ids = ids
        self.devpath = devpath
        self.isVirtualFunction = isVirtualFunction
        self.autoprobe = autoprobe
    }

    /// `8086:100e`.
    public var idText: String {
        guard let ids else { return "" }
        return PCIIDText.pair(ids)
    }
}
