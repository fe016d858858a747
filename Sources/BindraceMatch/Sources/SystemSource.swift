import BindraceSystem
import BindraceTrace

/// The live system or an extracted tree under `--root`, read through the
/// file-system seam: /lib/modules/RELEASE, the modprobe.d directories,
/// /proc/cmdline and /sys/bus/pci/devices.
public enum SystemSource {
    /// `uname -r` from /proc for the live system; under a root, the only
    /// directory in /lib/modules.
    public static func kernelRelease(fs: any FileSystem, rooted: Bool) throws(MatchInputError) -> String {
        if !rooted, let text = try? fs.readText(at: "/proc/sys/kernel/osrelease", limit: 4096) {
            let release = text.split(separator: "\n").first.map(String.init) ?? ""
            if !release.isEmpty { return release }
        }
        let releases = (try? fs.contentsOfDirectory(at: "/lib/modules")) ?? []
        guard releases.count == 1 else {
            throw MatchInputError(file: "/lib/modules", message: releases.isEmpty ? "no kernel module directory" : "several kernels (\(releases.joined(separator: ", "))): pick one with --kernel-release")
        }
        return releases[0]
    }

    public static func context(
        fs: any FileSystem, release: String, configPaths: [String]?, cmdlineFile: String?, modaliases: [String],
        rootDescription: String?, moduleFiles: [ModuleFile] = []
    ) throws(MatchInputError) -> MatchContext {
        let moduleDirectory = "/lib/modules/" + release
        var tables = try ModuleTables.load(from: fs, directory: moduleDirectory)
        tables.add(moduleFiles: moduleFiles)
        var config = try ModprobeDirectories.load(from: fs, paths: configPaths ?? ModprobeDirectories.defaultPaths, moduleSoftdeps: tables.softdeps).config
        var commandLine: KernelCommandLine? = nil
        let cmdlinePath = cmdlineFile ?? "/proc/cmdline"
        if let text = try? fs.readText(at: cmdlinePath, limit: 1 << 20) {
            commandLine = try KernelCommandLine(text, file: cmdlinePath)
            config.append(commandLine!.kmodConfig)
        } else if cmdlineFile != nil {
            throw MatchInputError(file: cmdlinePath, message: "cannot read the kernel command line")
        }
        let devices = modaliases.isEmpty ? try PCIDeviceScanner.scan(fs: fs) : []
        let where_ = rootDescription.map { "\($0) (\(release))" } ?? "live system (\(release))"
        var context = MatchContext(
            resolver: KmodResolver(tables: tables, config: config), commandLine: commandLine, devices: devices,
            modaliases: modaliases, sourceDescription: where_, moduleDirectoryForPaths: (rootDescription ?? "") + moduleDirectory)
        context.newIDsUnknowable = !devices.isEmpty
        context.driverModules = PCIDeviceScanner.driverModules(fs: fs)
        let given = Set(moduleFiles.map(\.path))
        for path in unindexedModules(fs: fs, moduleDirectory: moduleDirectory, tables: tables) where !given.contains((rootDescription ?? "") + path) {
            context.notes.append("\((rootDescription ?? "") + path): not in modules.dep: kmod cannot load it by alias until depmod runs (pass it with --module-file to see what it would claim)")
        }
        return context
    }

    /// Directories where out-of-tree modules are installed (DKMS uses
    /// updates/dkms; `make modules_install` of an external module, extra/).
    public static let outOfTreeDirectories = ["updates", "extra"]

    /// Module files under updates/ and extra/ that modules.dep does not list:
    /// installed, but depmod has not run since. Bounded walk (depth 8, 20,000 entries).
    public static func unindexedModules(fs: any FileSystem, moduleDirectory: String, tables: ModuleTables) -> [String] {
        var known = Set<String>()
        for module in tables.dep.modules.values { known.insert(module.path) }
        var found: [String] = []
        var budget = 20_000
        func walk(_ relative: String, depth: Int) {
            guard depth <= 8, budget > 0, let names = try? fs.contentsOfDirectory(at: moduleDirectory + "/" + relative) else { return }
            for name in names {
                budget -= 1
                if budget <= 0 { return }
                let path = relative + "/" + name
                let full = moduleDirectory + "/" + path
                if fs.isDirectory(full) {
                    walk(path, depth: depth + 1)
                } else if [".ko", ".ko.xz", ".ko.zst", ".ko.gz"].contains(where: { name.hasSuffix($0) }), !known.contains(path), !known.contains(full) {
                    found.append(moduleDirectory + "/" + path)
                }
            }
        }
        for directory in outOfTreeDirectories { walk(directory, depth: 0) }
        return found
    }
}

/// /sys/bus/pci/devices/* as PCIDeviceSnapshot values.
public enum PCIDeviceScanner {
    /// /sys/bus/pci/drivers/NAME/module -> module name, for every PCI driver.
    public static func driverModules(fs: any FileSystem, base: String = "/sys/bus/pci/drivers") -> [String: String] {
        var result: [String: String] = [:]
        for name in (try? fs.contentsOfDirectory(at: base)) ?? [] {
            if let link = try? fs.readLink(at: base + "/" + name + "/module"), let module = link.split(separator: "/").last {
                result[name] = String(module)
            }
        }
        return result
    }

    public static func scan(fs: any FileSystem, base: String = "/sys/bus/pci/devices") throws(MatchInputError) -> [PCIDeviceSnapshot] {
        guard let names = try? fs.contentsOfDirectory(at: base) else { return [] }
        var devices: [PCIDeviceSnapshot] = []
        for address in names {
            let dir = base + "/" + address
            func read(_ file: String) -> String? {
                (try? fs.readText(at: dir + "/" + file, limit: 4096))?.split(separator: "\n").first.map(String.init)
            }
            func hex(_ file: String) -> UInt32? {
                guard var t = read(file) else { return nil }
                if t.hasPrefix("0x") { t.removeFirst(2) }
                return UInt32(t, radix: 16)
            }
            guard let vendor = hex("vendor"), let device = hex("device") else { continue }
            let ids = PCIDeviceIDs(
                vendor: UInt16(truncatingIfNeeded: vendor), device: UInt16(truncatingIfNeeded: device),
                subvendor: UInt16(truncatingIfNeeded: hex("subsystem_vendor") ?? 0),
                subdevice: UInt16(truncatingIfNeeded: hex("subsystem_device") ?? 0), classCode: hex("class") ?? 0)
            let override = read("driver_override").flatMap { $0 == "(null)" || $0.isEmpty ? nil : $0 }
            let driver = (try? fs.readLink(at: dir + "/driver")).flatMap { $0.split(separator: "/").last.map(String.init) }
            let group = (try? fs.readLink(at: dir + "/iommu_group")).flatMap { $0.split(separator: "/").last.flatMap { Int($0) } }
            let physfn = (try? fs.readLink(at: dir + "/physfn")).flatMap { $0.split(separator: "/").last.map(String.init) }
            devices.append(PCIDeviceSnapshot(
                address: address, ids: ids, modalias: read("modalias") ?? "", driverOverride: override, driver: driver,
                iommuGroup: group, physicalFunction: physfn, sriovTotalVFs: read("sriov_totalvfs").flatMap { Int($0) },
                sriovNumVFs: read("sriov_numvfs").flatMap { Int($0) }, sriovDriversAutoprobe: read("sriov_drivers_autoprobe").map { $0 == "1" }))
        }
        return devices
    }
}
