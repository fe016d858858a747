/// What the generator knows about a device it planted: the answer an
/// analysis must find.
public struct PlantedOutcome: Sendable, Hashable, Codable {
    public enum Expectation: String, Sendable, Codable {
        /// vfio-pci's dynamic id and the native driver's registration were concurrent.
        case raceVfioVsNative = "race-vfio-vs-native"
        /// driver_override written before the device was added: always vfio-pci.
        case deterministicVfio = "deterministic-vfio"
        /// Only a native driver matches.
        case deterministicNative = "deterministic-native"
    }

    public var device: String
    public var expectation: Expectation
    /// The driver that won in the generated (observed) order.
    public var observedWinner: String
    /// Every driver that can win in some ordering the generator allowed.
    public var feasibleWinners: [String]
    /// 0-based event indexes of the two racing events, for races.
    public var racingEvents: [UInt64]

    enum CodingKeys: String, CodingKey {
        case device, expectation
        case observedWinner = "observed_winner"
        case feasibleWinners = "feasible_winners"
        case racingEvents = "racing_events"
    }
}
