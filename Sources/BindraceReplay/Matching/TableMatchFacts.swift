import BindraceTrace

/// Match facts given directly as tables: for tests, generators and the
/// "what if" re-checks of fixes.
public struct TableMatchFacts: MatchFacts, Hashable {
    public struct Entry: Hashable, Sendable {
        public var driver: String
        public var id: PCIMatchID
        public var overrideOnly: Bool
        public init(driver: String, id: PCIMatchID, overrideOnly: Bool = false) {
            self.driver = driver
            self.id = id
            self.overrideOnly = overrideOnly
        }
    }

    public var entries: [Entry]
    public var asyncDrivers: Set<String>
    /// Module load order udev would use, for `modulesForDevice`.
    public var moduleOrder: [String]

    public init(entries: [Entry] = [], asyncDrivers: Set<String> = [], moduleOrder: [String] = []) {
        self.entries = entries
        self.asyncDrivers = asyncDrivers
        self.moduleOrder = moduleOrder
    }

    public func staticMatch(driver: String, module: String?, ids: PCIDeviceIDs) -> StaticMatch {
        let name = DriverName.normalized(driver)
        var result = StaticMatch.none
        for e in entries where DriverName.normalized(e.driver) == name && e.id.matches(ids) {
            if !e.overrideOnly { return .match }
            result = .overrideOnly
        }
        return result
    }

    public func asyncProbeForced(driver: String) -> Bool {
        asyncDrivers.contains("*") || asyncDrivers.contains(driver)
    }

    public func modulesForDevice(ids: PCIDeviceIDs) -> [String] {
        let matching = Set(entries.filter { !$0.overrideOnly && $0.id.matches(ids) }.map { DriverName.normalized($0.driver) })
        let ordered = moduleOrder.map(DriverName.normalized).filter { matching.contains($0) }
        return ordered + matching.subtracting(ordered).sorted()
    }

    public func vfioVariant(ids: PCIDeviceIDs) -> String? {
        entries.first { $0.overrideOnly && $0.id.matches(ids) && !DriverName.isPlainVFIO($0.driver) }?.driver
    }
}
