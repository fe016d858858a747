import BindraceTrace

/// What a simulation reads but never changes: devices' identities, static
/// match facts (cached per device ids), probe outcomes.
public final class SimulationContext {
    public let devices: [String: DeviceInfo]
    public let facts: any MatchFacts
    public let outcomes: ProbeOutcomes
    private let cache: StaticCache
    /// This context's own (its outcomes are its own).
    private let probeLists = ProbeLists()

    /// Shared by the contexts derived from one another (one per lifetime):
    /// static matches depend only on the driver, its module and the ids.
    private final class StaticCache {
        /// Answers of facts that answer driver by driver (devices' ids with
        /// names are answered from those).
        var entries: [StaticKey: StaticMatch] = [:]
        /// `facts.staticPlainNames` by device ids (nil inside: the facts
        /// answer driver by driver), and `facts.staticOverrideOnlyNames` once
        /// asked: an alias lookup or two a device, instead of one or two for
        /// every driver asked about it.
        var names: [PCIDeviceIDs: Set<String>?] = [:]
        var overrideOnly: [PCIDeviceIDs: Set<String>] = [:]
        /// The last few answers, searched before the dictionary: one
        /// device's analyses ask about the same few drivers dozens of times,
        /// and comparing names (shared storage, so mostly a pointer check)
        /// costs less than hashing them.
        @exclusivity(unchecked) var recent: [(key: StaticKey, match: StaticMatch)] = []
        @exclusivity(unchecked) var nextRecent = 0
        static let recentCount = 8

        func remember(_ key: StaticKey, _ match: StaticMatch) {
            if recent.count < Self.recentCount {
                recent.append((key, match))
            } else {
                recent[nextRecent] = (key, match)
                nextRecent = (nextRecent + 1) % Self.recentCount
            }
        }
    }

    /// The probe results asked for, by device and driver: a device's
    /// exploration and its fixes' re-checks each ask about the same few
    /// drivers, and the outcomes' lookups hash both names every time. Like
    /// the recent answers above, read and written by one thread at a time
    /// (a worker derives its own contexts), so the runtime's exclusivity
    /// check (a call on every access) is left out.
    private final class ProbeLists {
        @exclusivity(unchecked) var entries: [(device: String, driver: String, list: [Int32]?)] = []
        static let limit = 16
    }

    private struct StaticKey: Hashable {
        var driver: String
        var module: String?
        var ids: PCIDeviceIDs
    }

    public init(devices: [String: DeviceInfo], facts: any MatchFacts, outcomes: ProbeOutcomes) {
        self.devices = devices
        self.facts = facts
        self.outcomes = outcomes
        cache = StaticCache()
    }

    private init(devices: [String: DeviceInfo], facts: any MatchFacts, outcomes: ProbeOutcomes, cache: StaticCache) {
        self.devices = devices
        self.facts = facts
        self.outcomes = outcomes
        self.cache = cache
    }

    /// The same match facts (and cache) for one lifetime of one device: that
    /// lifetime's description of the device and its probe outcomes. Only
    /// that device exists in it (a lifetime's simulation touches no other).
    public func lifetime(of device: String, info: DeviceInfo?, outcomes: ProbeOutcomes) -> SimulationContext {
        SimulationContext(devices: info.map { [device: $0] } ?? [:], facts: facts, outcomes: outcomes, cache: cache)
    }

    /// A context of its own cache (for another thread), starting with the
    /// matches this one knows.
    public func detached() -> SimulationContext {
        let copy = StaticCache()
        copy.entries = cache.entries
        copy.names = cache.names
        copy.overrideOnly = cache.overrideOnly
        return SimulationContext(devices: devices, facts: facts, outcomes: outcomes, cache: copy)
    }

    /// `outcomes.results(device:driver:)`, remembered for the first few pairs asked about.
    public func probeResults(device: String, driver: String) -> [Int32]? {
        for entry in probeLists.entries where entry.driver == driver && entry.device == device { return entry.list }
        let list = outcomes.results(device: device, driver: driver)
        if probeLists.entries.count < ProbeLists.limit { probeLists.entries.append((device, driver, list)) }
        return list
    }

    public func staticMatch(driver: String, module: String?, ids: PCIDeviceIDs) -> StaticMatch {
        let key = StaticKey(driver: driver, module: module, ids: ids)
        for entry in cache.recent where entry.key == key { return entry.match }
        let value: StaticMatch
        if let plain = staticPlainNames(ids: ids) {
            // Answered from the ids' names, not kept by driver: a key of two
            // names and the ids cost a lookup about what the answer costs,
            // and a trace naming thousands of drivers and devices asked
            // about each pair once, growing the table for nothing (on the
            // 100M-event synthetic trace, the shapes of new devices'
            // lifetimes took 2.6 times as long).
            value = StaticMatch(plain: plain, overrideOnly: { staticOverrideOnlyNames(ids: ids) }, driver: driver, module: module)
        } else if let hit = cache.entries[key] {
            value = hit
        } else {
            value = facts.staticMatch(driver: driver, module: module, ids: ids)
            cache.entries[key] = value
        }
        cache.remember(key, value)
        return value
    }

    /// `facts.staticMatchNames(ids:)`, remembered.
    public func staticMatchNames(ids: PCIDeviceIDs) -> (plain: Set<String>, overrideOnly: Set<String>)? {
        staticPlainNames(ids: ids).map { ($0, staticOverrideOnlyNames(ids: ids)) }
    }

    /// `facts.staticPlainNames(ids:)`, remembered.
    public func staticPlainNames(ids: PCIDeviceIDs) -> Set<String>? {
        if let hit = cache.names[ids] { return hit }
        let names = facts.staticPlainNames(ids: ids)
        cache.names[ids] = .some(names)
        return names
    }

    /// `facts.staticOverrideOnlyNames(ids:)`, remembered (for facts that give plain names).
    private func staticOverrideOnlyNames(ids: PCIDeviceIDs) -> Set<String> {
        if let hit = cache.overrideOnly[ids] { return hit }
        let names = facts.staticOverrideOnlyNames(ids: ids)
        cache.overrideOnly[ids] = names
        return names
    }
}
