import BindraceMatch
import BindraceTrace

/// Match facts from a trace's snapshot, through BindraceMatch: modules.alias
/// (and the built-in aliases) resolved as kmod resolves them, modprobe.d and
/// the kernel command line. A driver matches a device statically when its
/// module is among the modules kmod finds for the device's `pci:` modalias;
/// it matches override-only when its module is found only for the
/// `vfio_pci:` form. vfio-pci's own table is one override_only entry for
/// every device.
public struct SnapshotMatchFacts: MatchFacts {
    public let resolver: KmodResolver
    public let commandLine: KernelCommandLine?
    /// Problems reading the snapshot's tables, one line each (file and line).
    public let problems: [String]
    private let asyncNames: Set<String>
    /// Whether any vfio_pci: alias names a module other than vfio-pci
    /// itself or pci-stub: without one there is no variant to pick, and the
    /// lookup (a modalias built and walked through the alias index) is
    /// skipped.
    private let hasVariantAliases: Bool

    public init(snapshot: Snapshot) {
        var problems: [String] = []
        var files: [String: [UInt8]] = [:]
        for file in snapshot.matchTables {
            let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
            files[name, default: []] += Array(file.text.utf8)
        }
        var tables = ModuleTables(directory: "snapshot")
        do {
            tables = try ModuleTables(directory: "snapshot", files: files)
        } catch {
            problems.append(error.description)
        }
        for name in snapshot.builtinModules { tables.builtinModules.insert(DriverName.normalized(name)) }
        var config = ModprobeConfig()
        for file in snapshot.modprobeConfig {
            do {
                config.append(try ModprobeConfigParser.parse(file.text, file: file.path))
            } catch {
                problems.append(error.description)
            }
        }
        var line: KernelCommandLine?
        if !snapshot.commandLine.isEmpty {
            do {
                let parsed = try KernelCommandLine(snapshot.commandLine)
                config.append(parsed.kmodConfig)
                line = parsed
            } catch {
                problems.append(error.description)
            }
        }
        resolver = KmodResolver(tables: tables, config: config)
        commandLine = line
        self.problems = problems
        asyncNames = Set((line?.driverAsyncProbe ?? []).map(\.module))
        // Read in place: through `contains` each item was copied and let go
        // of (7.1 M of the 149.3 M instructions these facts took from the
        // 100M-event synthetic trace's 31,256-line modules.alias).
        hasVariantAliases = tables.aliases.items.withUnsafeBufferPointer { items in
            items.indices.contains { items[$0].entry.pattern.hasPrefix("vfio_pci:") && !DriverName.isPlainVFIO(items[$0].entry.module) }
        }
    }

    public func staticMatch(driver: String, module: String?, ids: PCIDeviceIDs) -> StaticMatch {
        let wanted = DriverName.normalized(module ?? driver)
        let plain = PCIModalias(ids: ids)
        if resolver.lookup(plain.text).modules.contains(where: { DriverName.normalized($0) == wanted }) {
            return .match
        }
        if DriverName.isPlainVFIO(driver) { return .overrideOnly }
        if resolver.lookup(plain.vfioForm.text).modules.contains(where: { DriverName.normalized($0) == wanted }) {
            return .overrideOnly
        }
        return .none
    }

    public func staticPlainNames(ids: PCIDeviceIDs) -> Set<String>? {
        Set(resolver.lookup(PCIModalias(ids: ids).text).modules.map(DriverName.normalized))
    }

    public func staticOverrideOnlyNames(ids: PCIDeviceIDs) -> Set<String> {
        Set(resolver.lookup(PCIModalias(ids: ids).vfioForm.text).modules.map(DriverName.normalized))
    }

    public func asyncProbeForced(driver: String) -> Bool {
        asyncNames.contains("*") || asyncNames.contains(driver)
    }

    public func modulesForDevice(ids: PCIDeviceIDs) -> [String] {
        resolver.lookup(PCIModalias(ids: ids).text).modules
    }

    public func vfioVariant(ids: PCIDeviceIDs) -> String? {
        guard hasVariantAliases else { return nil }
        return VFIOVariantPicker.pick(for: PCIModalias(ids: ids), in: resolver.tables).map(\.module).flatMap { DriverName.isPlainVFIO($0) ? nil : $0 }
    }
}
