import BindraceTrace

/// What a simulation reads but never changes: devices' identities, static
/// match facts (cached per driver and device ids), probe outcomes.
public final class SimulationContext {
    public let devices: [String: DeviceInfo]
    public let facts: any MatchFacts
    public let outcomes: ProbeOutcomes
    private var cache: [StaticKey: StaticMatch] = [:]

    private struct StaticKey: Hashable {
        var driver: String
        var module: String?
        var ids: PCIDeviceIDs
    }

    public init(devices: [String: DeviceInfo], facts: any MatchFacts, outcomes: ProbeOutcomes) {
        self.devices = devices
        self.facts = facts
        self.outcomes = outcomes
    }

    public func staticMatch(driver: String, module: String?, device: String) -> StaticMatch {
        guard let ids = devices[device]?.ids else { return .none }
        let key = StaticKey(driver: driver, module: module, ids: ids)
        if let hit = cache[key] { return hit }
        let value = facts.staticMatch(driver: driver, module: module, ids: ids)
        cache[key] = value
        return value
    }
}
