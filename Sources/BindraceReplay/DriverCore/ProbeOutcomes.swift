/// The probe results observed per (device, driver), in order. The replay
/// assumes the k-th probe of a driver on a device returns what the k-th
/// observed probe returned (the last one repeating), and success where no
/// probe was observed: the report prints that assumption.
public struct ProbeOutcomes: Hashable, Sendable {
    public struct Pair: Hashable, Sendable {
        public var device: String
        public var driver: String
        public init(device: String, driver: String) {
            self.device = device
            self.driver = driver
        }
    }

    public var results: [Pair: [Int32]] = [:]

    public init(results: [Pair: [Int32]] = [:]) { self.results = results }

    public mutating func record(device: String, driver: String, result: Int32) {
        // -EBUSY from driver_probe_device is the driver core refusing a bound
        // device, not the driver's answer.
        guard result != ProbeResult.busy else { return }
        results[Pair(device: device, driver: driver), default: []].append(result)
    }

    public func result(device: String, driver: String, attempt: Int) -> Int32 {
        guard let list = results[Pair(device: device, driver: driver)], !list.isEmpty else { return 0 }
        return list[min(attempt, list.count - 1)]
    }

    public func wasObserved(device: String, driver: String) -> Bool {
        results[Pair(device: device, driver: driver)] != nil
    }

    /// Whether some probe of `device` deferred.
    /// Devices `mayDefer` is true for.
    public func devicesThatMayDefer() -> Set<String> {
        Set(results.filter { $0.value.contains { ProbeResult.isDefer($0) } }.map(\.key.device))
    }

    public func mayDefer(device: String) -> Bool {
        results.contains { $0.key.device == device && $0.value.contains { ProbeResult.isDefer($0) } }
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
