/// The environment around a capture, so that one trace file is enough to
/// analyse the boot offline on another machine.
///
/// Stored as canonical JSON (sorted keys) in a snapshot chunk; a capture writes
/// one at start and one at end.
public struct Snapshot: Hashable, Sendable, Codable {
    public enum Phase: String, Hashable, Sendable, Codable {
        case start
        case end
    }

    public var phase: Phase
    /// `uname -r`.
    public var kernelRelease: String
    /// /proc/cmdline, verbatim.
    public var commandLine: String
    /// Names from /proc/modules, in its order.
    public var loadedModules: [String]
    /// Module names built into the kernel (modules.builtin), where known.
    public var builtinModules: [String]
    public var pciDevices: [PCIDeviceSnapshot]
    /// The lines of modules.alias, modules.builtin.modinfo, modules.order,
    /// modules.dep and modules.softdep that concern the devices and modules seen,
    /// keyed by file name relative to the module directory.
    public var matchTables: [SnapshotFile]
    /// modprobe.d files as found (path and text), in precedence order.
    public var modprobeConfig: [SnapshotFile]
    /// Every probe of the capture set and whether it was attached.
    public var probes: [ProbeStatus]
    /// Free-form facts (capturing tool version, host name, clock source...).
    public var notes: [String: String]

    public init(
        phase: Phase = .start, kernelRelease: String = "", commandLine: String = "",
        loadedModules: [String] = [], builtinModules: [String] = [], pciDevices: [PCIDeviceSnapshot] = [],
        matchTables: [SnapshotFile] = [], modprobeConfig: [SnapshotFile] = [], probes: [ProbeStatus] = [],
        notes: [String: String] = [:]
    ) {
        self.phase = phase
        self.kernelRelease = kernelRelease
        self.commandLine = commandLine
        self.loadedModules = loadedModules
        self.builtinModules = builtinModules
        self.pciDevices = pciDevices
        self.matchTables = matchTables
        self.modprobeConfig = modprobeConfig
        self.probes = probes
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey {
        case phase
        case kernelRelease = "kernel_release"
        case commandLine = "command_line"
        case loadedModules = "loaded_modules"
        case builtinModules = "builtin_modules"
        case pciDevices = "pci_devices"
        case matchTables = "match_tables"
        case modprobeConfig = "modprobe_config"
        case probes
        case notes
    }

    // Absent keys take their defaults so hand-written snapshots stay short.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        phase = try c.decodeIfPresent(Phase.self, forKey: .phase) ?? .start
        kernelRelease = try c.decodeIfPresent(String.self, forKey: .kernelRelease) ?? ""
        commandLine = try c.decodeIfPresent(String.self, forKey: .commandLine) ?? ""
        loadedModules = try c.decodeIfPresent([String].self, forKey: .loadedModules) ?? []
        builtinModules = try c.decodeIfPresent([String].self, forKey: .builtinModules) ?? []
        pciDevices = try c.decodeIfPresent([PCIDeviceSnapshot].self, forKey: .pciDevices) ?? []
        matchTables = try c.decodeIfPresent([SnapshotFile].self, forKey: .matchTables) ?? []
        modprobeConfig = try c.decodeIfPresent([SnapshotFile].self, forKey: .modprobeConfig) ?? []
        probes = try c.decodeIfPresent([ProbeStatus].self, forKey: .probes) ?? []
        notes = try c.decodeIfPresent([String: String].self, forKey: .notes) ?? [:]
    }
}

/// A text file captured into a snapshot.
public struct SnapshotFile: Hashable, Sendable, Codable {
    public var path: String
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

/// One probe of the capture set.
public struct ProbeStatus: Hashable, Sendable, Codable {
    /// Stable probe name, e.g. `really_probe` or `module_load`.
    public var name: String
    public var attached: Bool
    /// How it attached (`fentry`, `fexit`, `kprobe`, `kretprobe`, `tracepoint`,
    /// `raw_tracepoint`), or why it did not.
    public var detail: String

    public init(name: String, attached: Bool, detail: String = "") {
        self.name = name
        self.attached = attached
        self.detail = detail
    }
}
