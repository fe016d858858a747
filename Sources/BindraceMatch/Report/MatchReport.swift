import BindraceTrace

/// One input (a device or a bare modalias) and everything bindrace can say
/// about who may claim it.
public struct MatchReport: Sendable {
    public struct Input: Hashable, Sendable {
        public var modalias: String
        public var device: PCIDeviceSnapshot?
    }

    public struct Block: Hashable, Sendable {
        public enum Kind: String, Hashable, Sendable, Codable {
            /// modprobe.d `blacklist`: not loaded for an alias (udev, modprobe
            /// ALIAS); still loads by name, as a dependency or softdep.
            case blacklist
            /// `modprobe.blacklist=` on the kernel command line: same effect.
            case modprobeBlacklistCmdline = "modprobe.blacklist"
            /// `module_blacklist=`: the kernel refuses to load it at all.
            case moduleBlacklist = "module_blacklist"
            /// dracut `rd.driver.blacklist=`: blacklisted inside the initramfs.
            case rdDriverBlacklist = "rd.driver.blacklist"
            /// An `install` command replaces loading (e.g. /bin/false).
            case installCommand = "install"
        }
        public var kind: Kind
        public var origin: String
        public var detail: String?
    }

    public struct Candidate: Sendable {
        public var module: String
        public var builtin: Bool
        /// Every alias line that matched (more than one: kmod lists it repeatedly).
        public var matchedBy: [AliasLookup.Candidate]
        public var blocks: [Block]
        public var softdep: ModprobeConfig.Softdep?
        public var options: [ModprobeConfig.Options]
        /// weakdep lines (kmod 33 syntax): reported, never loaded.
        public var weakdeps: [ModprobeConfig.Weakdep] = []
    }

    public var input: Input
    public var lookup: AliasLookup
    public var candidates: [Candidate]
    /// Dynamic ids (ids= of vfio-pci / pci-stub) in force, and whether they match.
    public var dynamicIDs: [(id: DynamicID, matches: Bool, note: String?)]
    public var vfioVariant: VFIOVariantPicker.Pick?
    /// pci_match_device of each candidate driver and of vfio-pci, when the
    /// input is a PCI device (static tables approximated by the alias match).
    public var pciMatches: [(driver: String, result: PCIMatcher.Result)]
    public var canProbe: Bool?
    /// Why a bound driver is bound when nothing known explains it.
    public var bindingNote: String? = nil
}
