import BindraceTrace

/// `bindrace match --format json`: one object per input.
public struct MatchDocument: Encodable, Sendable {
    public var source: String
    public var devices: [Device]

    public init(source: String, devices: [Device]) {
        self.source = source
        self.devices = devices
    }

    public struct Device: Encodable, Sendable {
        public var modalias: String
        public var address: String?
        public var boundDriver: String?
        public var driverOverride: String?
        /// Which lookup source answered (modules.alias, modprobe.d alias...).
        public var resolvedBy: String?
        /// kmod's order, repeats removed.
        public var modules: [String]
        /// As `modprobe -R` prints them.
        public var modulesWithDuplicates: [String]
        public var candidates: [Candidate]
        public var dynamicIDs: [DynamicIDEntry]
        public var vfioVariant: Variant?
        public var pciMatch: [PCIMatchEntry]
        /// pci_device_can_probe (SR-IOV autoprobe rule); nil when not a PCI device.
        public var canProbe: Bool?
        public var bindingNote: String?

        public init(_ r: MatchReport) {
            modalias = r.input.modalias
            address = r.input.device?.address
            boundDriver = r.input.device?.driver
            driverOverride = r.input.device?.driverOverride
            resolvedBy = r.lookup.source?.rawValue
            modules = r.lookup.modules
            modulesWithDuplicates = r.lookup.modulesWithDuplicates
            candidates = r.candidates.map(Candidate.init)
            dynamicIDs = r.dynamicIDs.map { DynamicIDEntry(id: $0.id, matches: $0.matches, note: $0.note) }
            vfioVariant = r.vfioVariant.map { Variant(module: $0.module, alias: $0.pattern, stars: $0.stars, origin: $0.origin.description, considered: $0.considered.map { "\($0.pattern) \($0.module)" }) }
            pciMatch = r.pciMatches.map { PCIMatchEntry(driver: $0.driver, result: $0.result) }
            canProbe = r.canProbe
            bindingNote = r.bindingNote
        }
    }

    public struct Candidate: Encodable, Sendable {
        public var module: String
        public var builtin: Bool
        public var matchedBy: [String]
        public var blocked: [Block]
        public var softdep: Softdep?
        public var options: [String]
        public var weakdeps: [String]

        init(_ c: MatchReport.Candidate) {
            module = c.module
            builtin = c.builtin
            matchedBy = c.matchedBy.map { ($0.pattern ?? $0.module) + ($0.origin.map { " (\($0))" } ?? "") }
            blocked = c.blocks.map { Block(kind: $0.kind.rawValue, origin: $0.origin, detail: $0.detail) }
            softdep = c.softdep.map { Softdep(pre: $0.pre, post: $0.post, origin: $0.origin.description) }
            options = c.options.map { "\($0.options) (\($0.origin))" }
            weakdeps = c.weakdeps.map { $0.modules.joined(separator: " ") + " (\($0.origin))" }
        }
    }

    public struct Block: Encodable, Sendable {
        public var kind: String
        public var origin: String
        public var detail: String?
    }

    public struct Softdep: Encodable, Sendable {
        public var pre: [String]
        public var post: [String]
        public var origin: String
    }

    public struct DynamicIDEntry: Encodable, Sendable {
        public var driver: String
        public var id: String
        public var source: String
        public var matchesThisDevice: Bool
        public var note: String?

        init(id d: DynamicID, matches: Bool, note: String?) {
            driver = d.driver
            id = DynamicIDEntry.format(d.id)
            switch d.source {
            case .modprobeOptions(let o): source = "modprobe.d \(o)"
            case .kernelCommandLine(let offset): source = "kernel command line, offset \(offset)"
            case .newID: source = "sysfs new_id"
            }
            matchesThisDevice = matches
            self.note = note
        }

        static func format(_ id: PCIMatchID) -> String {
            func f(_ v: UInt32, _ w: Int) -> String { v == PCIMatchID.any ? "*" : PCIModalias.hex(v, w).lowercased() }
            var s = f(id.vendor, 4) + ":" + f(id.device, 4) + ":" + f(id.subvendor, 4) + ":" + f(id.subdevice, 4)
            if id.classMask != 0 { s += " class " + PCIModalias.hex(id.classCode, 6).lowercased() + "/" + PCIModalias.hex(id.classMask, 6).lowercased() }
            return s
        }
    }

    public struct Variant: Encodable, Sendable {
        public var module: String
        public var alias: String
        public var stars: Int
        public var origin: String
        public var considered: [String]
    }

    public struct PCIMatchEntry: Encodable, Sendable {
        public var driver: String
        public var matches: Bool
        public var reason: String

        init(driver: String, result: PCIMatcher.Result) {
            self.driver = driver
            matches = result.matches
            switch result {
            case .excludedByOverride(let o): reason = "driver_override is '\(o)'"
            case .dynamicID(let d): reason = "dynamic id \(DynamicIDEntry.format(d.id))"
            case .staticID(_, let s): reason = s.overrideOnly ? "override_only id table entry, under driver_override" : "id table entry"
            case .overrideDummy: reason = "driver_override names it"
            case .noMatch: reason = driver == "vfio-pci" ? "no dynamic id; its only table entry is override_only" : "no id matches"
            }
        }
    }
}
