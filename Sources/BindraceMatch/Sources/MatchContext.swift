import BindraceSystem
import BindraceTrace

/// The tables, configuration and inputs one `bindrace match` run works on,
/// from whichever source: module directory, system tree, or trace snapshot.
public struct MatchContext: Sendable {
    public var resolver: KmodResolver
    public var commandLine: KernelCommandLine?
    public var devices: [PCIDeviceSnapshot]
    public var inputs: [MatchReport.Input]
    public var sourceDescription: String
    /// The directory kmod would print in `insmod PATH` lines.
    public var moduleDirectoryForPaths: String
    /// Dynamic ids added through sysfs `new_id` (and not removed through
    /// `remove_id`), where the source knows them: a trace's events. A live
    /// system cannot say (new_id is write-only); see `driverModules`.
    public var newIDs: [DynamicID] = []
    /// Bound driver name -> its module (/sys/bus/pci/drivers/NAME/module),
    /// where the source has it; used to tell a binding no static id explains.
    public var driverModules: [String: String] = [:]
    /// Whether the source is a live system or tree whose sysfs could hold
    /// dynamic ids bindrace cannot see.
    public var newIDsUnknowable = false
    /// Things worth saying that do not make the input wrong (a module file
    /// depmod has not indexed, for instance), one line each.
    public var notes: [String] = []

    /// modprobe.d and command-line lines kmod skips with a message, and
    /// command-line problems: each a warning; the answer is still given.
    public var rejectedLines: [MatchInputError] { resolver.config.rejectedLines }

    public init(
        resolver: KmodResolver, commandLine: KernelCommandLine?, devices: [PCIDeviceSnapshot], modaliases: [String],
        sourceDescription: String, moduleDirectoryForPaths: String
    ) {
        self.resolver = resolver
        self.commandLine = commandLine
        self.devices = devices
        self.sourceDescription = sourceDescription
        self.moduleDirectoryForPaths = moduleDirectoryForPaths
        if modaliases.isEmpty {
            inputs = devices.map { .init(modalias: $0.modalias.isEmpty ? PCIModalias(ids: $0.ids).text : $0.modalias, device: $0) }
        } else {
            inputs = modaliases.map { .init(modalias: $0, device: nil) }
        }
    }

    /// Everything from a trace snapshot: match tables keyed by file name,
    /// modprobe.d files in precedence order, /proc/cmdline, PCI devices.
    public init(snapshot: Snapshot, modaliases: [String]) throws(MatchInputError) {
        var files: [String: [UInt8]] = [:]
        for file in snapshot.matchTables {
            let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
            files[name] = Array(file.text.utf8)
        }
        let tables = try ModuleTables(directory: "snapshot:/lib/modules/\(snapshot.kernelRelease)", files: files)
        // Same-name shadowing and name order, as kmod applies them on disk.
        var byName: [String: SnapshotFile] = [:]
        for file in snapshot.modprobeConfig {
            let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
            if byName[name] == nil { byName[name] = file }
        }
        var config = ModprobeConfig()
        var softdepsPending: ModprobeConfig? = tables.softdeps
        for (name, file) in byName.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            if let pending = softdepsPending, "modules.softdep".utf8.lexicographicallyPrecedes(name.utf8) {
                config.append(pending)
                softdepsPending = nil
            }
            config.append(try ModprobeConfigParser.parse(file.text, file: file.path))
        }
        if let pending = softdepsPending { config.append(pending) }
        let commandLine = try KernelCommandLine(snapshot.commandLine, file: "snapshot:/proc/cmdline")
        config.append(commandLine.kmodConfig)
        var resolverTables = tables
        for name in snapshot.builtinModules { resolverTables.builtinModules.insert(AliasNormalizer.normalizeModuleName(name)) }
        self.init(
            resolver: KmodResolver(tables: resolverTables, config: config), commandLine: commandLine,
            devices: snapshot.pciDevices, modaliases: modaliases, sourceDescription: "trace snapshot (\(snapshot.kernelRelease))",
            moduleDirectoryForPaths: "/lib/modules/\(snapshot.kernelRelease)")
    }

    public func report(for input: MatchReport.Input) -> MatchReport {
        MatchReporter(context: self).report(for: input)
    }
}
