import BindraceTrace

/// Which registered drivers statically match a device's ids, and which
/// dynamic ids match them, answered per ids from indexes instead of by
/// walking every driver or every dynamic id of the trace (a trace with
/// thousands of hotplugged devices and drivers would otherwise be
/// quadratic). Answers are cached per ids until a driver or an id arrives.
struct CandidateIndex {
    /// Registered drivers by the name static matching compares: the
    /// normalized module of their latest registration, else their own.
    private var driversByName: [String: [Int32]] = [:]
    private var nameOfDriver: [Int32: String] = [:]
    private var candidateCache: [Int32: (generation: Int, drivers: [Int32])] = [:]
    /// Bumped when a driver registers for the first time or with another
    /// module (the names static matching compares change).
    private var namesGeneration = 0
    /// Bumped by every registration: a driver registering again after a
    /// failed registration can become a candidate without changing names.
    private(set) var driverGeneration = 0
    private(set) var registered: [Int32] = []

    /// Dynamic ids by exact vendor:device, and those with a wildcard in either.
    private var exactIDs: [UInt32: [(handle: Int32, id: PCIMatchID)]] = [:]
    private var wildcardIDs: [(handle: Int32, id: PCIMatchID)] = []
    private var idCache: [Int32: (generation: Int, handles: [Int32])] = [:]
    /// Bumped by every dynamic id.
    private(set) var idGeneration = 0

    /// A registration of `driver` (from `module`, normalized, if known).
    mutating func registered(_ driver: Int32, name: String, module: String?, isNew: Bool) {
        if isNew { registered.append(driver) }
        driverGeneration += 1
        let wanted = DriverName.normalized(module ?? name)
        if nameOfDriver[driver] == wanted { return }
        if let old = nameOfDriver[driver] { driversByName[old]?.removeAll { $0 == driver } }
        nameOfDriver[driver] = wanted
        driversByName[wanted, default: []].append(driver)
        namesGeneration += 1
    }

    /// `staticCandidates` as last answered for `ids`, if nothing has
    /// changed since (nil: it must be asked).
    @inline(__always)
    func cachedStaticCandidates(_ ids: Int32) -> [Int32]? {
        guard let hit = candidateCache[ids], hit.generation == namesGeneration else { return nil }
        return hit.drivers
    }

    /// Registered drivers whose static table matches `ids` with a normal entry.
    mutating func staticCandidates(_ ids: Int32, pci: PCIDeviceIDs, context: SimulationContext,
                                   perDriver: (Int32) -> Bool) -> [Int32] {
        if let known = cachedStaticCandidates(ids) { return known }
        var out: [Int32] = []
        // The context remembers a device's names (nil: the facts answer only driver by driver).
        if let names = context.staticPlainNames(ids: pci) {
            for name in names { out += driversByName[name] ?? [] }
        } else {
            out = registered.filter(perDriver)
        }
        candidateCache[ids] = (namesGeneration, out)
        return out
    }

    mutating func addedID(_ handle: Int32, _ id: PCIMatchID) {
        if id.vendor == PCIMatchID.any || id.device == PCIMatchID.any {
            wildcardIDs.append((handle, id))
        } else {
            exactIDs[Self.key(id.vendor, id.device), default: []].append((handle, id))
        }
        idGeneration += 1
    }

    /// Dynamic ids matching `ids`, in the order they were added.
    mutating func matchingIDs(_ ids: Int32, pci: PCIDeviceIDs) -> [Int32] {
        if let hit = idCache[ids], hit.generation == idGeneration { return hit.handles }
        var out: [Int32] = []
        for e in exactIDs[Self.key(UInt32(pci.vendor), UInt32(pci.device))] ?? [] where e.id.matches(pci) { out.append(e.handle) }
        for e in wildcardIDs where e.id.matches(pci) { out.append(e.handle) }
        out.sort()
        idCache[ids] = (idGeneration, out)
        return out
    }

    private static func key(_ vendor: UInt32, _ device: UInt32) -> UInt32 { (vendor & 0xFFFF) << 16 | (device & 0xFFFF) }
}
