import BindraceTrace

/// What a device add said about the device, interned (`DeviceInfo` without strings).
struct AddedDevice: Equatable {
    /// Interned ids, -1 without PCI ids.
    var ids: Int32 = -1
    /// Devpath symbol.
    var devpath: Int32 = -1
    var isVirtualFunction = false
    var autoprobe = true
}
