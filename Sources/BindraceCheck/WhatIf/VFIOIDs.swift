import BindraceMatch
import BindraceReplay
import BindraceTrace

/// The dynamic ids vfio-pci adds from its `ids=` parameter under a
/// configuration: modprobe.d `options vfio_pci ids=` (only when vfio-pci is a
/// module: a built-in driver never sees modprobe.d) and `vfio-pci.ids=` on
/// the kernel command line.
enum VFIOIDs {
    static func ids(modprobeFiles: [SnapshotFile], commandLine: String, builtin: [String], notes: inout [String]) -> [PCIMatchID] {
        var texts: [String] = []
        if !builtin.contains(where: { DriverName.normalized($0) == "vfio_pci" }) {
            for file in modprobeFiles {
                guard let config = try? ModprobeConfigParser.parse(file.text, file: file.path) else {
                    notes.append("what-if: \(file.path) does not parse; its options are ignored")
                    continue
                }
                for o in config.options where DriverName.normalized(o.module) == "vfio_pci" {
                    for word in o.options.split(separator: " ") where word.hasPrefix("ids=") { texts.append(String(word.dropFirst(4))) }
                }
            }
        }
        if !commandLine.isEmpty, let line = try? KernelCommandLine(commandLine) {
            for p in line.moduleParameters("vfio_pci") where p.param == "ids" { texts.append(p.value ?? "") }
        }
        var out: [PCIMatchID] = []
        for text in texts {
            for item in text.split(separator: ",") {
                if let id = parse(String(item)) { out.append(id) } else { notes.append("what-if: vfio-pci ids entry '\(item)' is malformed and ignored (as vfio-pci does)") }
            }
        }
        return out
    }

    /// `vendor:device[:subvendor[:subdevice[:class[:class_mask]]]]`, as vfio_pci_fill_ids reads it.
    static func parse(_ text: String) -> PCIMatchID? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...6).contains(parts.count) else { return nil }
        var v: [UInt32] = []
        for p in parts {
            guard !p.isEmpty, p.count <= 8, let x = UInt32(p, radix: 16) else { return nil }
            v.append(x)
        }
        return PCIMatchID(vendor: v[0], device: v[1], subvendor: v.count > 2 ? v[2] : PCIMatchID.any,
                          subdevice: v.count > 3 ? v[3] : PCIMatchID.any, classCode: v.count > 4 ? v[4] : 0,
                          classMask: v.count > 5 ? v[5] : 0)
    }
}
