import BindraceSystem
import BindraceTrace
#if canImport(Glibc)
import Glibc
#endif

/// Collects the environment a trace needs for offline analysis, all through
/// the file-system seam: /proc/cmdline, /proc/modules, the PCI devices in
/// sysfs, the relevant lines of the module directory's tables, modprobe.d.
public struct SnapshotCollector {
    public var fileSystem: any FileSystem

    /// modprobe.d directories in precedence order (a file name found in an
    /// earlier one hides the same name in later ones).
    public static let modprobeDirectories = [
        "/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d", "/lib/modprobe.d", "/usr/lib/modprobe.d",
    ]

    public init(fileSystem: any FileSystem) {
        self.fileSystem = fileSystem
    }

    public func collect(phase: Snapshot.Phase, probes: [ProbeStatus] = [], notes: [String: String] = [:]) -> Snapshot {
        let release = text("/proc/sys/kernel/osrelease").trimmingNewline
        var snapshot = Snapshot(phase: phase)
        snapshot.kernelRelease = release
        snapshot.commandLine = text("/proc/cmdline").trimmingNewline
        snapshot.loadedModules = text("/proc/modules").split(separator: "\n").compactMap {
            $0.split(separator: " ").first.map(String.init)
        }
        snapshot.pciDevices = pciDevices()
        let moduleDirectory = ["/lib/modules/" + release, "/usr/lib/modules/" + release].first { fileSystem.isDirectory($0) }
        if let moduleDirectory {
            snapshot.builtinModules = text(moduleDirectory + "/modules.builtin").split(separator: "\n").map {
                Self.moduleName(fromPath: $0)
            }
            snapshot.matchTables = matchTables(moduleDirectory: moduleDirectory, devices: snapshot.pciDevices,
                                               modules: Set(snapshot.loadedModules.map(Self.normalize)))
        }
        snapshot.modprobeConfig = modprobeConfig()
        snapshot.probes = probes
        var allNotes = notes
        let host = text("/proc/sys/kernel/hostname").trimmingNewline
        if !host.isEmpty { allNotes["hostname"] = host }
        let boot = text("/proc/sys/kernel/random/boot_id").trimmingNewline
        if !boot.isEmpty { allNotes["boot_id"] = boot }
        if let moduleDirectory { allNotes["module_directory"] = moduleDirectory }
        snapshot.notes = allNotes
        return snapshot
    }

    // MARK: PCI devices

    public func pciDevices() -> [PCIDeviceSnapshot] {
        let root = "/sys/bus/pci/devices"
        guard let names = try? fileSystem.contentsOfDirectory(at: root) else { return [] }
        return names.map { address in
            let dir = root + "/" + address
            let ids = PCIDeviceIDs(
                vendor: UInt16(truncatingIfNeeded: hex(dir + "/vendor") ?? 0),
                device: UInt16(truncatingIfNeeded: hex(dir + "/device") ?? 0),
                subvendor: UInt16(truncatingIfNeeded: hex(dir + "/subsystem_vendor") ?? 0),
                subdevice: UInt16(truncatingIfNeeded: hex(dir + "/subsystem_device") ?? 0),
                classCode: UInt32(truncatingIfNeeded: hex(dir + "/class") ?? 0))
            var device = PCIDeviceSnapshot(address: address, ids: ids, modalias: text(dir + "/modalias").trimmingNewline)
            let override = text(dir + "/driver_override").trimmingNewline
            device.driverOverride = override.isEmpty || override == "(null)" ? nil : override
            device.driver = linkName(dir + "/driver")
            device.iommuGroup = linkName(dir + "/iommu_group").flatMap { Int($0) }
            device.physicalFunction = linkName(dir + "/physfn")
            if fileSystem.exists(dir + "/sriov_totalvfs") {
                device.sriovTotalVFs = Int(text(dir + "/sriov_totalvfs").trimmingNewline)
                device.sriovNumVFs = Int(text(dir + "/sriov_numvfs").trimmingNewline)
                device.sriovDriversAutoprobe = text(dir + "/sriov_drivers_autoprobe").trimmingNewline == "1"
            }
            return device
        }
    }

    // MARK: module tables

    /// The lines of the module tables that concern the devices and modules
    /// seen: pci/vfio_pci aliases matching a device's modalias, and the
    /// dep/softdep/order/builtin.modinfo lines of the modules those name or
    /// that are loaded.
    public func matchTables(moduleDirectory: String, devices: [PCIDeviceSnapshot], modules loaded: Set<String>) -> [SnapshotFile] {
        var files: [SnapshotFile] = []
        var modules = loaded
        let modaliases = devices.map(\.modalias).filter { !$0.isEmpty }
        var aliasLines: [Substring] = []
        for line in text(moduleDirectory + "/modules.alias").split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3, fields[0] == "alias" else { continue }
            let pattern = fields[1]
            let isPCI = pattern.hasPrefix("pci:") || pattern.hasPrefix("vfio_pci:")
            guard isPCI else { continue }
            let bare = pattern.hasPrefix("vfio_") ? pattern.dropFirst(5) : pattern
            if modaliases.contains(where: { Self.fnmatch(String(bare), $0) }) {
                aliasLines.append(line)
                modules.insert(Self.normalize(String(fields[2])))
            }
        }
        files.append(SnapshotFile(path: "modules.alias", text: aliasLines.joined(separator: "\n")))
        let dep = text(moduleDirectory + "/modules.dep").split(separator: "\n").filter { line in
            guard let colon = line.firstIndex(of: ":") else { return false }
            return modules.contains(Self.moduleName(fromPath: line[..<colon]))
        }
        files.append(SnapshotFile(path: "modules.dep", text: dep.joined(separator: "\n")))
        let softdep = text(moduleDirectory + "/modules.softdep").split(separator: "\n").filter { line in
            let fields = line.split(separator: " ")
            return fields.count >= 2 && fields[0] == "softdep" && modules.contains(Self.normalize(String(fields[1])))
        }
        files.append(SnapshotFile(path: "modules.softdep", text: softdep.joined(separator: "\n")))
        let order = text(moduleDirectory + "/modules.order").split(separator: "\n").filter {
            modules.contains(Self.moduleName(fromPath: $0))
        }
        files.append(SnapshotFile(path: "modules.order", text: order.joined(separator: "\n")))
        let modinfo = text(moduleDirectory + "/modules.builtin.modinfo").split(separator: "\0").filter { entry in
            guard let dot = entry.firstIndex(of: ".") else { return false }
            let module = Self.normalize(String(entry[..<dot]))
            return modules.contains(module) || (entry[dot...].hasPrefix(".alias=pci:") && modaliases.contains {
                Self.fnmatch(String(entry[entry.index(dot, offsetBy: 7)...]), $0)
            })
        }
        files.append(SnapshotFile(path: "modules.builtin.modinfo", text: modinfo.joined(separator: "\n")))
        return files
    }

    // MARK: modprobe.d

    public func modprobeConfig() -> [SnapshotFile] {
        var seen = Set<String>()
        var files: [SnapshotFile] = []
        var visited = Set<String>()
        for directory in Self.modprobeDirectories {
            // /lib is often a symlink to /usr/lib: read each real directory once.
            let parent = String(directory.dropLast("/modprobe.d".count))
            if fileSystem.entryType(at: parent) == .symlink, let target = try? fileSystem.readLink(at: parent),
               visited.contains((target.hasPrefix("/") ? target : "/" + target) + "/modprobe.d") {
                continue
            }
            visited.insert(directory)
            guard let names = try? fileSystem.contentsOfDirectory(at: directory) else { continue }
            for name in names where name.hasSuffix(".conf") && !seen.contains(name) {
                seen.insert(name)
                files.append(SnapshotFile(path: directory + "/" + name, text: text(directory + "/" + name)))
            }
        }
        return files.sorted { $0.path.baseName < $1.path.baseName }
    }

    // MARK: helpers

    private func text(_ path: String) -> String {
        (try? fileSystem.readText(at: path, limit: 64 << 20)) ?? ""
    }

    private func hex(_ path: String) -> UInt32? {
        var t = Substring(text(path).trimmingNewline)
        if t.hasPrefix("0x") { t = t.dropFirst(2) }
        return UInt32(t, radix: 16)
    }

    private func linkName(_ path: String) -> String? {
        guard let target = try? fileSystem.readLink(at: path) else { return nil }
        return target.split(separator: "/").last.map(String.init)
    }

    static func moduleName<S: StringProtocol>(fromPath path: S) -> String {
        var name = Substring(path.split(separator: "/").last ?? "")
        for suffix in [".xz", ".zst", ".gz"] where name.hasSuffix(suffix) { name = name.dropLast(suffix.count) }
        if name.hasSuffix(".ko") { name = name.dropLast(3) }
        return normalize(String(name))
    }

    /// Module names treat `-` and `_` alike.
    static func normalize(_ name: String) -> String {
        String(name.map { $0 == "-" ? "_" : $0 })
    }

    static func fnmatch(_ pattern: String, _ text: String) -> Bool {
        Glibc.fnmatch(pattern, text, 0) == 0
    }
}

extension String {
    var baseName: Substring { split(separator: "/").last ?? "" }
    var trimmingNewline: String {
        var s = Substring(self)
        while let c = s.last, c == "\n" || c == "\r" { s = s.dropLast() }
        return String(s)
    }
}
