import BindraceTrace

/// Explorations already run, by the shape of their input: which kinds of
/// steps in which order, which driver each names (by first appearance, not
/// by name), how each dynamic id relates to the device, the precedence
/// masks, the static matches, the probe results and the device's SR-IOV
/// gate. Two inputs of one shape are the same exploration up to renaming
/// drivers, the device and step ids, so the stored result is renamed back.
/// Thousands of hotplugged devices raced the same way cost one exploration.
/// The same shape also keys the other costly questions of a lifetime's
/// analysis, the observed replay and the fixes' re-checks, each with what
/// it reads beyond the shape (`observed`, `recheck`).
///
/// Not thread-safe: one memo per thread.
final class ExplorationMemo {
    private struct Stored {
        struct Entry {
            /// Driver index in the shape, -1: unbound.
            var winner: Int
            var deferred: Bool
            /// Step position, or -1 for the device's async probe.
            var moves: [Int]
            var boundBy: Int?
        }
        var entries: [Entry]
        var exhausted: Bool
        var statesVisited: Int
    }

    /// An exploration's shape, worked out once for the questions a
    /// lifetime's analysis asks about the same steps (`explore`, `observed`,
    /// `recheck`).
    struct Shape {
        let key: [UInt64]
        /// The key's number in this memo: what the answers are keyed by
        /// (hashing the whole key again for each question cost more than
        /// the questions). nil once the memo is full.
        let id: UInt64?
        /// The drivers the key numbers, in its order.
        let drivers: [String]

        /// A driver's number in the shape (its place among `drivers`), nil
        /// for a driver the steps do not name.
        func code(_ driver: String?) -> UInt32? {
            guard let driver else { return 0 }
            return drivers.firstIndex(of: driver).map { UInt32($0 + 1) }
        }

        func driver(_ code: UInt32) -> String? { code == 0 ? nil : drivers[Int(code) - 1] }
    }

    /// By the shape's number: the key is hashed once, when it is numbered.
    private var stored: [UInt64: Stored] = [:]
    private var shapeIDs: [[UInt64]: UInt64] = [:]
    /// The observed replay's answers (`observed`) and the fixes' re-checks'
    /// (`recheck`), by shape and question, drivers by number.
    var observedAnswers: [[UInt64]: ObservedAnswer] = [:]
    var recheckAnswers: [RecheckKey: [UInt32]?] = [:]
    private(set) var hits = 0
    private(set) var misses = 0
    /// Answers given from `observedAnswers` and `recheckAnswers`.
    var observedHits = 0
    var recheckHits = 0

    /// Bounds the memo (distinct shapes are few; this only guards odd traces).
    let capacity = 1 << 16

    func shape(of explorer: OrderingExplorer, device: String) -> Shape {
        let (key, drivers) = Self.shape(explorer, device: device)
        var id = shapeIDs[key]
        if id == nil && shapeIDs.count < capacity {
            id = UInt64(shapeIDs.count)
            shapeIDs[key] = id
        }
        return Shape(key: key, id: id, drivers: drivers)
    }

    /// `shape`: the explorer's, when worked out already.
    func explore(_ explorer: OrderingExplorer, device: String, shape: Shape? = nil) -> OrderingExplorer.Result {
        let shape = shape ?? self.shape(of: explorer, device: device)
        if let id = shape.id, let hit = stored[id] {
            hits += 1
            return rename(hit, steps: explorer.steps, drivers: shape.drivers, device: device)
        }
        return exploreAndStore(explorer, device: device, shape: shape)
    }

    /// What a fix's re-check asks: the device's winners (each once, in no
    /// particular order; a list, as building a set of one or two names cost
    /// more than the lookup), and whether the budget ran out. A hit's
    /// witnesses are not renamed back, which was most of its cost; a
    /// device's re-checks make three or four lookups.
    func winners(_ explorer: OrderingExplorer, device: String) -> (winners: [String?], exhausted: Bool) {
        let shape = self.shape(of: explorer, device: device)
        if let id = shape.id, let hit = stored[id] {
            hits += 1
            var names: [String?] = []
            for entry in hit.entries {
                let name = entry.winner < 0 ? nil : shape.drivers[entry.winner]
                if !names.contains(name) { names.append(name) }
            }
            return (names, hit.exhausted)
        }
        let result = exploreAndStore(explorer, device: device, shape: shape)
        return (Array(result.winners(device)), result.exhausted)
    }

    private func exploreAndStore(_ explorer: OrderingExplorer, device: String, shape: Shape) -> OrderingExplorer.Result {
        misses += 1
        let result = explorer.explore()
        // A shape the full memo could not number is not stored.
        guard let id = shape.id else { return result }
        let drivers = shape.drivers
        let position = Dictionary(explorer.steps.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let driverIndex = Dictionary(drivers.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var entries: [Stored.Entry] = []
        for (outcome, witness) in result.outcomes[device] ?? [:] {
            entries.append(Stored.Entry(
                winner: outcome.winner.map { driverIndex[$0] ?? -2 } ?? -1, deferred: outcome.deferred,
                moves: witness.moves.map { if case .step(let id) = $0 { position[id] ?? -2 } else { -1 } },
                boundBy: witness.boundBy.map { position[$0] ?? -2 }))
        }
        // A name or id the shape cannot express is not stored.
        if entries.contains(where: { $0.winner == -2 || $0.moves.contains(-2) || $0.boundBy == -2 }) { return result }
        stored[id] = Stored(entries: entries, exhausted: result.exhausted, statesVisited: result.statesVisited)
        return result
    }

    private func rename(_ s: Stored, steps: [Step], drivers: [String], device: String) -> OrderingExplorer.Result {
        var result = OrderingExplorer.Result()
        result.exhausted = s.exhausted
        result.statesVisited = s.statesVisited
        var outcomes = [OrderingExplorer.Outcome: OrderingExplorer.Witness](minimumCapacity: s.entries.count)
        for e in s.entries {
            let outcome = OrderingExplorer.Outcome(winner: e.winner < 0 ? nil : drivers[e.winner], deferred: e.deferred)
            outcomes[outcome] = OrderingExplorer.Witness(
                moves: e.moves.map { $0 < 0 ? .asyncProbe(device: device) : .step(steps[$0].id) },
                boundBy: e.boundBy.map { steps[$0].id })
        }
        if !outcomes.isEmpty { result.outcomes[device] = outcomes }
        return result
    }

    /// The shape of an exploration and its drivers in order of first appearance.
    static func shape(_ explorer: OrderingExplorer, device: String) -> ([UInt64], [String]) {
        let context = explorer.context
        let info = context.devices[device]
        // Lists searched in order, not dictionaries: a lifetime names a few
        // drivers and devices, and hashing their names cost more than the search.
        var drivers: [String] = []
        drivers.reserveCapacity(8)
        func driverCode(_ name: String?) -> UInt64 {
            guard let name else { return 0 }
            if let i = drivers.firstIndex(of: name) { return UInt64(i + 1) }
            drivers.append(name)
            return UInt64(drivers.count)
        }
        var otherDevices: [String] = []
        func deviceCode(_ name: String) -> UInt64 {
            if name == device { return 0 }
            if let i = otherDevices.firstIndex(of: name) { return UInt64(i + 1) }
            otherDevices.append(name)
            return UInt64(otherDevices.count)
        }
        var ids: [PCIMatchID] = []
        ids.reserveCapacity(4)
        func idCode(_ id: PCIMatchID) -> UInt64 {
            let matches = info?.ids.map(id.matches) == true ? UInt64(1) : 0
            let cls = ids.firstIndex(of: id) ?? { ids.append(id); return ids.count - 1 }()
            return UInt64(cls) << 1 | matches
        }
        func staticCode(_ driver: String, _ module: String?) -> UInt64 {
            guard let ids = info?.ids else { return 0 }
            switch context.staticMatch(driver: driver, module: module, ids: ids) {
            case .none: return 1
            case .match: return 2
            case .overrideOnly: return 3
            }
        }
        var key: [UInt64] = []
        // Room for the steps' words and a few probe results: growing the key costs more than writing it.
        key.reserveCapacity(2 * explorer.steps.count + 16)
        key.append(UInt64(explorer.steps.count))
        key.append(UInt64(explorer.budget))
        key.append(UInt64(explorer.devices.count))
        key.append((info == nil ? 0 : 1) | (info?.ids == nil ? 0 : 2) | (info?.isVirtualFunction == true ? 4 : 0) | (info?.autoprobe == true ? 8 : 0))
        // By index: enumerating copies each step whole.
        for i in explorer.steps.indices {
            var word: UInt64
            switch explorer.steps[i].action {
            case .deviceAdd(let d): word = 1 | deviceCode(d) << 8
            case .deviceRemove(let d): word = 2 | deviceCode(d) << 8
            case .driverRegister(let driver, let module, let isAsync):
                word = 3 | driverCode(driver) << 8 | staticCode(driver, module) << 40 | (isAsync ? 1 << 44 : 0)
            case .addID(let driver, let id): word = 4 | driverCode(driver) << 8 | idCode(id) << 40
            case .removeID(let driver, let id): word = 5 | driverCode(driver) << 8 | idCode(id) << 40
            case .setOverride(let d, let driver): word = 6 | driverCode(driver) << 8 | deviceCode(d) << 40
            case .bind(let d, let driver): word = 7 | driverCode(driver) << 8 | deviceCode(d) << 40
            case .unbind(let d, let driver): word = 8 | driverCode(driver) << 8 | deviceCode(d) << 40
            case .driversProbe(let d): word = 9 | deviceCode(d) << 8
            case .asyncBarrier: word = 10
            case .deferredRetry: word = 11
            }
            key.append(word)
            key.append(explorer.predecessors[i])
        }
        // Probe results the simulation would draw, per driver of the shape.
        for driver in drivers {
            let list = context.probeResults(device: device, driver: driver) ?? []
            key.append(UInt64(list.count))
            for r in list { key.append(UInt64(UInt32(bitPattern: r))) }
        }
        return (key, drivers)
    }
}
