import BindraceTrace

/// One entry of a driver's `struct pci_device_id` table. `overrideOnly` is the
/// PCI_ID_F_VFIO_DRIVER_OVERRIDE flag (vfio_pci: aliases).
public struct PCIStaticID: Hashable, Sendable {
    public var id: PCIMatchID
    public var overrideOnly: Bool

    public init(id: PCIMatchID, overrideOnly: Bool = false) {
        self.id = id
        self.overrideOnly = overrideOnly
    }
}
