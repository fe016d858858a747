import BindraceTrace

/// One lifetime of one device, ready to be judged: its projection, what the
/// trace showed, and the context it is simulated in. The whole-trace
/// analysis (`ReplayAnalyzer`) and the streaming one (`StreamingReplay`)
/// build these in their own ways and judge them with the same code.
struct LifetimeCase {
    var device: String
    /// The device as this lifetime's add described it; nil: never added.
    var info: DeviceInfo?
    var projection: DeviceProjection
    var observed: String?
    var asyncRuns: [Int]
    /// This lifetime's device and probe outcomes, over the trace's match facts.
    var context: SimulationContext
    var udevAddStamp: ClockStamp?
    /// The driver it had when the capture started (first lifetime only).
    var boundBeforeCapture: String?
}

/// What every lifetime of one trace shares.
struct LifetimeEnvironment {
    var traceName: String
    var matchFacts: any MatchFacts
    /// Normalized names of built-in modules (their drivers register from initcalls).
    var builtins: Set<String>
    var moduleOfDriver: [String: String]
    /// Other devices of the trace with the same PCI ids.
    var sameIDDevices: (String, PCIDeviceIDs?) -> [String]
    var memo: ExplorationMemo?

    /// How much of a result to build.
    enum Detail {
        /// Verdict, winners, candidates: what picks a device's lifetime.
        case verdict
        /// Also the explanation and re-checked fixes.
        case full
    }
}
