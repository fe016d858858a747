/// What one ended lifetime of a device (its add up to its removal) is
/// analysed with: the device as that add described it, the probe results of
/// that lifetime, the binding it had when the removal came, and the point a
/// udev worker took its ADD event. A device name reused with other ids, or a
/// VF added once with autoprobe and once without, is judged per lifetime.
public struct LifetimeFacts: Sendable {
    /// nil: the binding seen was "unbound".
    public var observed: String?
    public var outcomes: ProbeOutcomes
    public var info: DeviceInfo?
    public var udevAddStamp: ClockStamp?
    /// async_run_start positions of the device's async probes in this lifetime.
    public var asyncRuns: [Int]

    public init(observed: String?, outcomes: ProbeOutcomes, info: DeviceInfo?, udevAddStamp: ClockStamp?, asyncRuns: [Int]) {
        self.observed = observed
        self.outcomes = outcomes
        self.info = info
        self.udevAddStamp = udevAddStamp
        self.asyncRuns = asyncRuns
    }
}
