import BindraceTrace

/// The steps that can change one device's outcome. Devices do not interact
/// in the model (a probe touches only its device; the deferred retry and
/// async barriers are steps of their own), so the orderings of this subset,
/// restricted happens-before, give exactly the device's outcomes over all
/// orderings of the whole trace: a linear extension of a restricted order
/// always extends to the whole order. The oracle checks this claim.
public struct DeviceProjection {
    public var device: String
    public var steps: [Step]
    /// Drivers that could claim the device, registration order first.
    public var candidates: [String]
    /// Drivers named by an override that never registered.
    public var missingOverrideDrivers: [String]
    /// Drivers configured for this device specifically: a dynamic id matching
    /// it, an override or a sysfs bind naming them (a static override_only
    /// entry, like vfio-pci's catch-all, does not count).
    public var configuredDrivers: Set<String>

    /// A projection built elsewhere (the streaming replay's, from its own index).
    init(device: String, steps: [Step], candidates: [String], missingOverrideDrivers: [String], configuredDrivers: Set<String>) {
        self.device = device
        self.steps = steps
        self.candidates = candidates
        self.missingOverrideDrivers = missingOverrideDrivers
        self.configuredDrivers = configuredDrivers
    }

    /// The projection from an index of the trace's steps, without walking
    /// every step of the trace.
    ///
    /// `window` (positions in the prepared steps) restricts it to one
    /// lifetime of the device: its own steps inside the window, every other
    /// step before the window's end (drivers registered earlier stay
    /// registered).
    init(device: String, index: StepIndex, steps allSteps: [Step], context: SimulationContext, window: Range<Int>? = nil) {
        self.device = device
        let ids = context.devices[device]?.ids
        let end = window?.upperBound ?? Int.max
        func firstAtOrAfter(_ list: [Int], _ bound: Int) -> Int {
            var lo = 0, hi = list.count
            while lo < hi { let mid = (lo + hi) / 2; if list[mid] < bound { lo = mid + 1 } else { hi = mid } }
            return lo
        }
        func before(_ list: [Int]) -> ArraySlice<Int> {
            guard end != Int.max else { return list[...] }
            return list[0..<firstAtOrAfter(list, end)]
        }
        // A lifetime that ended (window before the end of the trace) is
        // judged with what the trace showed up to its removal: effects seen
        // later, and failures reported later, belong to the trace after it.
        let cutEvent: Int? = window != nil && end < allSteps.count ? allSteps[end].event.index : nil
        func live(_ p: Int) -> Bool {
            guard let failed = index.failedAt[allSteps[p].id] else { return true }
            return cutEvent.map { failed >= $0 } ?? false
        }
        let allOwn = index.byDevice[device] ?? []
        let own: [Int] = window.map { w in Array(allOwn[firstAtOrAfter(allOwn, w.lowerBound)..<firstAtOrAfter(allOwn, w.upperBound)]) } ?? allOwn
        func registeredBefore(_ driver: String) -> Bool {
            before(index.registrations[driver] ?? []).contains(where: live)
        }
        var named = Set<String>()
        for p in own {
            switch allSteps[p].action {
            case .setOverride(_, let driver?): named.insert(driver)
            case .bind(_, let driver): named.insert(driver)
            default: break
            }
        }
        let namedByOwnSteps = named
        var matchingAddIDs: [Int] = []
        if let ids {
            for p in before(index.matchingAddIDs(ids: ids, steps: allSteps)) {
                if case .addID(let driver, _) = allSteps[p].action {
                    named.insert(driver)
                    matchingAddIDs.append(p)
                }
            }
        }
        var candSet = Set<String>()
        for driver in named where registeredBefore(driver) { candSet.insert(driver) }
        let staticCands = ids.map { index.staticCandidates(ids: $0, context: context) } ?? []
        for driver in staticCands where registeredBefore(driver) { candSet.insert(driver) }
        let cands = candSet.sorted { index.rank[$0]! < index.rank[$1]! }
        candidates = cands
        missingOverrideDrivers = named.filter { !registeredBefore($0) }.sorted()
        configuredDrivers = named
        // A candidate probes asynchronously if one of its registrations so far does.
        let anyAsync = cands.contains { driver in
            before(index.registrations[driver] ?? []).contains { p in
                if case .driverRegister(_, _, true) = allSteps[p].action { live(p) } else { false }
            }
        }
        let mayDefer = context.outcomes.mayDefer(device: device)

        let plainStatic = window == nil ? [] : staticCands
        let firstAdd = own.first { if case .deviceAdd = allSteps[$0].action { true } else { false } }.map { allSteps[$0] }
        var chosen = own
        for driver in cands { chosen += before(index.registrations[driver] ?? []).filter(live) }
        var addIDs = Set(matchingAddIDs)
        for driver in cands {
            for p in before(index.addIDsByDriver[driver] ?? []) {
                // One lifetime of a device that comes and goes: a dynamic id
                // that does not match it, added before it exists, cannot
                // bind it (the attach walk finds it absent, the id never
                // matches it), so it is left out; otherwise every new_id of
                // vfio-pci for other hotplugged devices would pile up here.
                if window != nil, let add = firstAdd, allSteps[p].stamp.precedesOrEquals(add.stamp) { continue }
                // Nor, within a lifetime, one for a driver that can claim the
                // device only through its matching dynamic ids (no override,
                // no static entry): such an id's attach walk can bind the
                // device only after a matching id's own walk failed to, a
                // retry the lifetime analysis does not model (docs/performance.md).
                if window != nil, !namedByOwnSteps.contains(driver), !plainStatic.contains(driver) { continue }
                addIDs.insert(p)
            }
        }
        chosen += addIDs
        if let ids {
            for p in before(index.removeIDs) {
                if case .removeID(_, let id) = allSteps[p].action, id.matches(ids) { chosen.append(p) }
            }
        }
        func global(_ positions: [Int]) {
            for p in before(positions) {
                if let add = firstAdd, allSteps[p].stamp.precedesOrEquals(add.stamp) { continue }
                chosen.append(p)
            }
        }
        if anyAsync { global(index.barriers) }
        if mayDefer { global(index.retries) }
        chosen.sort()
        steps = chosen.map { p in
            var step = allSteps[p]
            if let cutEvent {
                step.endIndex = min(step.endIndex, cutEvent)
                step.firstProbe = step.firstProbe[device].map { $0 < cutEvent ? [device: $0] : [:] } ?? [:]
            }
            return step
        }
    }
}

/// The trace's steps indexed once for every device's projection.
struct StepIndex {
    /// Positions (in the prepared steps) of each device's own steps.
    var byDevice: [String: [Int]] = [:]
    var registrations: [String: [Int]] = [:]
    /// Registration order of drivers (first registration).
    var rank: [String: Int] = [:]
    var registered: [String] = []
    var moduleOf: [String: String?] = [:]
    var addIDs: [Int] = []
    var addIDsByDriver: [String: [Int]] = [:]
    var removeIDs: [Int] = []
    var barriers: [Int] = []
    var retries: [Int] = []
    /// Registered drivers by the normalized name `staticMatch` compares.
    var byWantedName: [String: [String]] = [:]
    let facts: any MatchFacts
    /// Per device ids: static candidates and matching dynamic ids (every
    /// lifetime of every device with those ids asks the same).
    private final class Cache {
        var staticCandidates: [PCIDeviceIDs: Set<String>] = [:]
        var matchingAddIDs: [PCIDeviceIDs: [Int]] = [:]
        var byIDs: [PCIDeviceIDs: [String]]?
    }
    private let cache = Cache()

    /// Failed registrations (step id → index of the failure).
    let failedAt: [Int: Int]

    init(steps: [Step], failedAt: [Int: Int], facts: any MatchFacts) {
        self.facts = facts
        self.failedAt = failedAt
        for (p, step) in steps.enumerated() {
            switch step.action {
            case .deviceAdd(let d), .deviceRemove(let d), .driversProbe(let d), .setOverride(let d, _), .bind(let d, _), .unbind(let d, _):
                byDevice[d, default: []].append(p)
            case .driverRegister(let driver, let module, _):
                if rank[driver] == nil {
                    rank[driver] = registered.count
                    registered.append(driver)
                }
                moduleOf[driver] = module
                registrations[driver, default: []].append(p)
            case .addID(let driver, _):
                addIDs.append(p)
                addIDsByDriver[driver, default: []].append(p)
            case .removeID:
                removeIDs.append(p)
            case .asyncBarrier:
                barriers.append(p)
            case .deferredRetry:
                retries.append(p)
            }
        }
        for driver in registered {
            byWantedName[DriverName.normalized((moduleOf[driver] ?? nil) ?? driver), default: []].append(driver)
        }
    }

    /// Registered drivers whose static table matches the device with a normal
    /// entry, as `SimulationContext.staticMatch` says. Override-only entries
    /// claim a device only under a driver_override naming the driver, which
    /// makes the driver a candidate through the override step itself.
    /// Other devices (in `deviceOrder`, as last added) with these PCI ids.
    func devicesWithSameIDs(_ ids: PCIDeviceIDs?, except device: String, facts: TraceFacts) -> [String] {
        guard let ids else { return [] }
        if cache.byIDs == nil {
            var groups: [PCIDeviceIDs: [String]] = [:]
            for d in facts.deviceOrder { if let i = facts.devices[d]?.ids { groups[i, default: []].append(d) } }
            cache.byIDs = groups
        }
        return (cache.byIDs![ids] ?? []).filter { $0 != device }
    }

    /// Positions of the dynamic ids matching `ids`, in order.
    func matchingAddIDs(ids: PCIDeviceIDs, steps: [Step]) -> [Int] {
        if let hit = cache.matchingAddIDs[ids] { return hit }
        let found = addIDs.filter { if case .addID(_, let id) = steps[$0].action { id.matches(ids) } else { false } }
        cache.matchingAddIDs[ids] = found
        return found
    }

    func staticCandidates(ids: PCIDeviceIDs, context: SimulationContext) -> Set<String> {
        if let hit = cache.staticCandidates[ids] { return hit }
        let found = computeStaticCandidates(ids: ids, context: context)
        cache.staticCandidates[ids] = found
        return found
    }

    private func computeStaticCandidates(ids: PCIDeviceIDs, context: SimulationContext) -> Set<String> {
        guard let plain = context.staticPlainNames(ids: ids) else {
            return Set(registered.filter { context.staticMatch(driver: $0, module: moduleOf[$0] ?? nil, ids: ids) == .match })
        }
        var out = Set<String>()
        for name in plain { out.formUnion(byWantedName[name] ?? []) }
        return out
    }
}
