/// kobject_action, in the kernel's order.
public enum UeventAction: UInt32, CaseIterable, Sendable, Codable {
    case add = 0
    case remove = 1
    case change = 2
    case move = 3
    case online = 4
    case offline = 5
    case bind = 6
    case unbind = 7

    public var name: String {
        switch self {
        case .add: "add"
        case .remove: "remove"
        case .change: "change"
        case .move: "move"
        case .online: "online"
        case .offline: "offline"
        case .bind: "bind"
        case .unbind: "unbind"
        }
    }

    public init?(name: String) {
        guard let action = UeventAction.allCases.first(where: { $0.name == name }) else { return nil }
        self = action
    }
}
