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

    public init(device: String, steps allSteps: [Step], context: SimulationContext, asyncDrivers: Set<String>) {
        self.device = device
        let ids = context.devices[device]?.ids
        var named = Set<String>()
        var registered: [String] = []
        var moduleOf: [String: String?] = [:]
        for step in allSteps {
            switch step.action {
            case .setOverride(let d, let driver?) where d == device: named.insert(driver)
            case .bind(let d, let driver) where d == device: named.insert(driver)
            case .addID(let driver, let id) where ids.map(id.matches) == true: named.insert(driver)
            case .driverRegister(let driver, let module, _):
                if !registered.contains(driver) { registered.append(driver) }
                moduleOf[driver] = module
            default: break
            }
        }
        // An override_only entry (vfio-pci's catch-all, vfio_pci: aliases)
        // matches only while driver_override names the driver, and such a
        // driver is in `named` already: alone it claims nothing.
        func candidate(_ driver: String) -> Bool {
            named.contains(driver) || context.staticMatch(driver: driver, module: moduleOf[driver] ?? nil, device: device) == .match
        }
        let cands = registered.filter(candidate)
        let candSet = Set(cands)
        candidates = cands
        missingOverrideDrivers = named.subtracting(registered).sorted()
        configuredDrivers = named
        let anyAsync = cands.contains { asyncDrivers.contains($0) }
        let mayDefer = context.outcomes.mayDefer(device: device)
        let firstAdd = allSteps.first { if case .deviceAdd(let d) = $0.action { d == device } else { false } }

        var chosen: [Step] = []
        for step in allSteps {
            let keep: Bool
            switch step.action {
            case .deviceAdd(let d), .deviceRemove(let d), .driversProbe(let d): keep = d == device
            case .setOverride(let d, _), .bind(let d, _), .unbind(let d, _): keep = d == device
            case .driverRegister(let driver, _, _): keep = candSet.contains(driver)
            // pci_add_dynid runs driver_attach over every device: it also
            // binds a device the driver matches some other way (override).
            case .addID(let driver, let id): keep = candSet.contains(driver) || ids.map(id.matches) == true
            case .removeID(_, let id): keep = ids.map(id.matches) == true
            case .asyncBarrier, .deferredRetry:
                let wanted: Bool
                if case .asyncBarrier = step.action { wanted = anyAsync } else { wanted = mayDefer }
                // Before the device exists nothing of it can be pending.
                if wanted, let add = firstAdd, step.stamp.precedesOrEquals(add.stamp) { keep = false } else { keep = wanted }
            }
            if keep { chosen.append(step) }
        }
        steps = chosen
    }

    /// The same projection from an index of the trace's steps, without
    /// walking every step of the trace (the result is identical).
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
        let allOwn = index.byDevice[device] ?? []
        let own: [Int] = window.map { w in Array(allOwn[firstAtOrAfter(allOwn, w.lowerBound)..<firstAtOrAfter(allOwn, w.upperBound)]) } ?? allOwn
        func registeredBefore(_ driver: String) -> Bool {
            guard let first = index.registrations[driver]?.first else { return false }
            return first < end
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
            for p in before(index.matchingAddIDs(device: device, ids: ids, steps: allSteps)) {
                if case .addID(let driver, _) = allSteps[p].action {
                    named.insert(driver)
                    matchingAddIDs.append(p)
                }
            }
        }
        var candSet = Set<String>()
        for driver in named where registeredBefore(driver) { candSet.insert(driver) }
        let staticCands = index.staticCandidates(device: device, context: context)
        for driver in staticCands where registeredBefore(driver) { candSet.insert(driver) }
        let cands = candSet.sorted { index.rank[$0]! < index.rank[$1]! }
        candidates = cands
        missingOverrideDrivers = named.filter { !registeredBefore($0) }.sorted()
        configuredDrivers = named
        let anyAsync = cands.contains { index.asyncDrivers.contains($0) }
        let mayDefer = index.mayDefer.contains(device)

        let plainStatic = window == nil ? [] : staticCands
        let firstAdd = own.first { if case .deviceAdd = allSteps[$0].action { true } else { false } }.map { allSteps[$0] }
        var chosen = own
        for driver in cands { chosen += before(index.registrations[driver] ?? []) }
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
        steps = chosen.map { allSteps[$0] }
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
    var asyncDrivers: Set<String> = []
    var mayDefer: Set<String> = []
    /// Registered drivers by the normalized name `staticMatch` compares.
    var byWantedName: [String: [String]] = [:]
    let facts: any MatchFacts
    /// staticCandidates per device (a device's lifetimes all ask).
    private final class Cache {
        var staticCandidates: [String: Set<String>] = [:]
        var matchingAddIDs: [String: [Int]] = [:]
        var byIDs: [PCIDeviceIDs: [String]]?
    }
    private let cache = Cache()

    init(steps: [Step], asyncDrivers: Set<String>, outcomes: ProbeOutcomes, facts: any MatchFacts) {
        self.facts = facts
        self.asyncDrivers = asyncDrivers
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
        mayDefer = outcomes.devicesThatMayDefer()
    }

    /// Registered drivers whose static table matches the device with a normal
    /// entry, as `SimulationContext.staticMatch` says. Override-only entries
    /// claim a device only under a driver_override naming the driver, which
    /// makes the driver a candidate through the override step itself.
    /// Other devices (in `deviceOrder`) with the same PCI ids as `device`.
    func devicesWithSameIDs(as device: String, facts: TraceFacts) -> [String] {
        guard let ids = facts.devices[device]?.ids else { return [] }
        if cache.byIDs == nil {
            var groups: [PCIDeviceIDs: [String]] = [:]
            for d in facts.deviceOrder { if let i = facts.devices[d]?.ids { groups[i, default: []].append(d) } }
            cache.byIDs = groups
        }
        return (cache.byIDs![ids] ?? []).filter { $0 != device }
    }

    /// Positions of the dynamic ids matching the device's ids, in order.
    func matchingAddIDs(device: String, ids: PCIDeviceIDs, steps: [Step]) -> [Int] {
        if let hit = cache.matchingAddIDs[device] { return hit }
        let found = addIDs.filter { if case .addID(_, let id) = steps[$0].action { id.matches(ids) } else { false } }
        cache.matchingAddIDs[device] = found
        return found
    }

    func staticCandidates(device: String, context: SimulationContext) -> Set<String> {
        if let hit = cache.staticCandidates[device] { return hit }
        let found = computeStaticCandidates(device: device, context: context)
        cache.staticCandidates[device] = found
        return found
    }

    private func computeStaticCandidates(device: String, context: SimulationContext) -> Set<String> {
        guard let ids = context.devices[device]?.ids else { return [] }
        guard let names = facts.staticMatchNames(ids: ids) else {
            return Set(registered.filter { context.staticMatch(driver: $0, module: moduleOf[$0] ?? nil, device: device) == .match })
        }
        var out = Set<String>()
        for name in names.plain { out.formUnion(byWantedName[name] ?? []) }
        return out
    }
}
