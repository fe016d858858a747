import BindraceTrace
import Foundation

/// A small but complete trace: snapshot, a vfio-pci vs e1000 registration
/// sequence in two modprobe processes, several chunks.
enum SampleTrace {
    static var events: [Event] {
        var events: [Event] = []
        var t: UInt64 = 1_000_000
        func add(_ pid: UInt32, _ comm: String, _ payload: Payload) {
            t += 25_000
            events.append(Event(timestamp: t, cpu: UInt16(pid % 2), pid: pid, comm: comm, payload: payload))
        }
        add(1, "init", .deviceAdd(DeviceAddition(device: "0000:00:02.0", devpath: "/devices/pci0000:00/0000:00:02.0",
                                               pci: PCIDeviceIDs(vendor: 0x8086, device: 0x100e, subvendor: 0x8086, subdevice: 0x001e, classCode: 0x020000))))
        add(1, "init", .processFork(childPID: 311, childTID: 311, isThread: false))
        add(1, "init", .processFork(childPID: 312, childTID: 312, isThread: false))
        add(311, "modprobe", .moduleLoad(module: "vfio_pci"))
        add(311, "modprobe", .driverRegisterStart(driver: "vfio-pci", bus: "pci", probeType: .defaultStrategy))
        add(311, "modprobe", .driverRegisterEnd(driver: "vfio-pci", bus: "pci", result: 0))
        add(312, "modprobe", .moduleLoad(module: "e1000"))
        add(312, "modprobe", .driverRegisterStart(driver: "e1000", bus: "pci", probeType: .defaultStrategy))
        add(312, "modprobe", .probeStart(device: "0000:00:02.0", driver: "e1000", isAsync: false))
        add(312, "modprobe", .probeEnd(device: "0000:00:02.0", driver: "e1000", result: 0))
        add(312, "modprobe", .bound(device: "0000:00:02.0", driver: "e1000"))
        add(312, "modprobe", .driverRegisterEnd(driver: "e1000", bus: "pci", result: 0))
        add(311, "modprobe", .dynamicIDAdded(driver: "vfio-pci", id: PCIMatchID(vendor: 0x8086, device: 0x100e)))
        add(311, "modprobe", .processExit(code: 0))
        add(312, "modprobe", .processExit(code: 0))
        add(1, "init", .lost(count: 3))
        return events
    }

    static func binary(eventsPerChunk: Int = 4) throws -> [UInt8] {
        var writer = try TraceWriter(sink: MemoryByteSink(), eventsPerChunk: eventsPerChunk)
        try writer.write(Snapshot(kernelRelease: "6.1.0-28-amd64", commandLine: "console=ttyS0 intel_iommu=on",
                                  probes: [ProbeStatus(name: "really_probe", attached: true, detail: "fentry"),
                                           ProbeStatus(name: "pci_add_dynid", attached: false, detail: "kprobe: not permitted")]))
        for event in events { try writer.append(event) }
        try writer.finish()
        return writer.sink.bytes
    }

    static func write(to directory: URL, name: String = "sample.brt") throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(binary()).write(to: url)
        return url
    }
}
