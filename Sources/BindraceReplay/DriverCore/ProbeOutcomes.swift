/// The probe results observed per (device, driver), in order. The replay
/// assumes the k-th probe of a driver on a device returns what the k-th
/// observed probe returned (the last one repeating), and success where no
/// probe was observed: the report prints that assumption.
///
/// Results belong to one lifetime of a device (add … remove): a VF added a
/// thousand times is probed a thousand times, and the k-th probe of one
/// lifetime is compared with the k-th of the same lifetime. A pair not
/// probed in the current lifetime falls back to the last lifetime that
/// probed it. Memory stays at two lists per pair whatever the churn.
public struct ProbeOutcomes: Hashable, Sendable {
    public struct Pair: Hashable, Sendable {
        public var device: String
        public var driver: String
        public init(device: String, driver: String) {
            self.device = device
            self.driver = driver
        }
    }

    /// Per device, per driver: results in the current lifetime.
    private var current: [String: [String: [Int32]]] = [:]
    /// Per device, per driver: results of the last earlier lifetime that had any.
    private var earlier: [String: [String: [Int32]]] = [:]

    public init() {}

    public init(results: [Pair: [Int32]]) {
        for (pair, list) in results { current[pair.device, default: [:]][pair.driver] = list }
    }

    /// One device's results, by driver: `init(results:)` with every pair
    /// naming `device`, without a name hashed twice per result (the final
    /// analyses build one for every device).
    public init(device: String, results: [String: [Int32]]) {
        if !results.isEmpty { current[device] = results }
    }

    /// Every pair with the results a simulation uses for it.
    public var results: [Pair: [Int32]] {
        var out: [Pair: [Int32]] = [:]
        for (device, drivers) in earlier { for (driver, list) in drivers { out[Pair(device: device, driver: driver)] = list } }
        for (device, drivers) in current { for (driver, list) in drivers { out[Pair(device: device, driver: driver)] = list } }
        return out
    }

    public mutating func record(device: String, driver: String, result: Int32) {
        // -EBUSY from driver_probe_device is the driver core refusing a bound
        // device, not the driver's answer.
        guard result != ProbeResult.busy else { return }
        current[device, default: [:]][driver, default: []].append(result)
    }

    private func list(_ device: String, _ driver: String) -> [Int32]? {
        if let list = current[device]?[driver], !list.isEmpty { return list }
        return earlier[device]?[driver]
    }

    /// The results a simulation of this pair uses, in order (nil: none seen).
    public func results(device: String, driver: String) -> [Int32]? {
        guard let list = list(device, driver), !list.isEmpty else { return nil }
        return list
    }

    public func wasObserved(device: String, driver: String) -> Bool {
        list(device, driver) != nil
    }

    /// Devices `mayDefer` is true for.
    public func devicesThatMayDefer() -> Set<String> {
        Set(Set(current.keys).union(earlier.keys).filter(mayDefer(device:)))
    }

    /// Whether some probe of `device` deferred.
    public func mayDefer(device: String) -> Bool {
        let drivers = Set((current[device] ?? [:]).keys).union((earlier[device] ?? [:]).keys)
        return drivers.contains { list(device, $0)?.contains(where: ProbeResult.isDefer) == true }
    }

    /// The device's lifetime ends (it is removed): returns the outcomes that
    /// lifetime is simulated with (its own device only), and makes the
    /// lifetime's results the fallback of the next one.
    public mutating func endLifetime(of device: String) -> ProbeOutcomes {
        var view = ProbeOutcomes()
        if let e = earlier[device] { view.earlier[device] = e }
        if let c = current[device] { view.current[device] = c }
        if let c = current.removeValue(forKey: device) {
            for (driver, list) in c where !list.isEmpty { earlier[device, default: [:]][driver] = list }
        }
        return view
    }
}

/// The probe return values the model distinguishes.
public enum ProbeResult {
    public static let busy: Int32 = -16
    public static let probeDefer: Int32 = 517

    /// -EPROBE_DEFER from the driver core (suppliers missing): the device is
    /// deferred and the walk stops. +EPROBE_DEFER (6.1 really_probe turns the
    /// driver's own -EPROBE_DEFER positive): deferred, the walk goes on.
    public static func isDefer(_ r: Int32) -> Bool { r == -probeDefer || r == probeDefer }
    public static func stopsWalk(_ r: Int32) -> Bool { r == -probeDefer }
}
