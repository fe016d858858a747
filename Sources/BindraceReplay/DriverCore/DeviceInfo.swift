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

enum PCIIDText {
    static func hex4(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    static func pair(_ ids: PCIDeviceIDs) -> String {
        hex4(UInt32(ids.vendor)) + ":" + hex4(UInt32(ids.device))
    }

    static func matchID(_ id: PCIMatchID) -> String {
        func part(_ v: UInt32) -> String { v == PCIMatchID.any ? "*" : hex4(v & 0xFFFF) }
        var text = part(id.vendor) + ":" + part(id.device)
        if id.subvendor != PCIMatchID.any || id.subdevice != PCIMatchID.any {
            text += ":" + part(id.subvendor) + ":" + part(id.subdevice)
        }
        return text
    }
}
