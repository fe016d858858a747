import BindraceReplay
import BindraceTrace

/// One device as rules see it: the replay's result plus the full PCI ids.
/// DeviceResult only carries `vendor:device`; class and subsystem selectors
/// need the rest, which the recorded device_add events (or the snapshot) give.
public struct DeviceFacts: Hashable, Sendable {
    public var result: DeviceResult
    public var pci: PCIDeviceIDs?

    public init(result: DeviceResult, pci: PCIDeviceIDs?) {
        self.result = result
        self.pci = pci
    }

    public var name: String { result.device }

    /// Every device of an analysis, with ids looked up in the recorded traces.
    public static func collect(_ result: AnalysisResult, traces: [TraceFacts]) -> [DeviceFacts] {
        let ids = identities(traces)
        return result.devices.map { DeviceFacts(result: $0, pci: ids[$0.device]) }
    }

    /// device → PCI ids, from device_add first, then from any snapshot.
    public static func identities(_ traces: [TraceFacts]) -> [String: PCIDeviceIDs] {
        var ids: [String: PCIDeviceIDs] = [:]
        for trace in traces {
            for (name, info) in trace.devices { if let pci = info.ids, ids[name] == nil { ids[name] = pci } }
        }
        for trace in traces {
            for snapshot in trace.snapshots {
                for device in snapshot.pciDevices where ids[device.address] == nil { ids[device.address] = device.ids }
            }
        }
        return ids
    }
}
