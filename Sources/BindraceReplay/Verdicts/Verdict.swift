/// What the analysis concludes about one device. Raw values are the stable
/// JSON spellings (docs/replay.md).
public enum Verdict: String, CaseIterable, Hashable, Sendable, Codable {
    /// vfio-pci (or a variant) wins in some orderings, a native driver in others.
    case raceVFIOVsNative = "race-vfio-vs-native"
    /// vfio-pci against a vfio variant driver.
    case raceVFIOVsVFIO = "race-vfio-vs-vfio"
    case raceNativeVsNative = "race-native-vs-native"
    /// Bound in some orderings, unbound in others.
    case raceBoundVsUnbound = "race-bound-vs-unbound"
    /// driver_override named another driver while the device was already bound.
    case overrideTooLate = "override-too-late"
    /// Unbound in every ordering although a driver could claim it (e.g. the
    /// override names a driver that never loaded).
    case unboundWithCandidate = "unbound-with-candidate"
    /// Unbound in every ordering and still on the deferred-probe list.
    case deferredForever = "deferred-forever"
    /// Replaying the observed order did not give the observed binding: a gap
    /// in the model or the trace. No claim is made.
    case unexplained
    /// Events were lost: no claim of determinism.
    case incomplete
    /// Already bound when the capture started: how it won is not in the trace.
    case boundBeforeCapture = "bound-before-capture"
    case deterministic

    /// Lower is more severe; reports list the most severe first.
    public var severity: Int {
        switch self {
        case .raceVFIOVsNative: 0
        case .raceVFIOVsVFIO: 1
        case .raceNativeVsNative: 2
        case .raceBoundVsUnbound: 3
        case .overrideTooLate: 4
        case .unboundWithCandidate: 5
        case .deferredForever: 6
        case .unexplained: 7
        case .incomplete: 8
        case .boundBeforeCapture: 9
        case .deterministic: 10
        }
    }

    public var isRace: Bool { severity <= 3 }

    /// The race kind for a set of feasible winners (nil: unbound).
    public static func race(_ winners: Set<String?>) -> Verdict? {
        guard winners.count > 1 else { return nil }
        let drivers = winners.compactMap { $0 }
        if drivers.count <= 1 { return .raceBoundVsUnbound }
        let vfio = drivers.filter(DriverName.isVFIO)
        if !vfio.isEmpty && vfio.count < drivers.count { return .raceVFIOVsNative }
        if vfio.count == drivers.count { return .raceVFIOVsVFIO }
        return .raceNativeVsNative
    }
}
