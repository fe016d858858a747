/// enum probe_type of struct device_driver, as the driver registered it.
public enum ProbeType: UInt32, CaseIterable, Sendable, Codable {
    case defaultStrategy = 0
    case preferAsynchronous = 1
    case forceSynchronous = 2

    public var name: String {
        switch self {
        case .defaultStrategy: "default"
        case .preferAsynchronous: "prefer_async"
        case .forceSynchronous: "force_sync"
        }
    }

    public init?(name: String) {
        guard let type = ProbeType.allCases.first(where: { $0.name == name }) else { return nil }
        self = type
    }
}
