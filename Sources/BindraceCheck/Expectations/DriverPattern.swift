import BindraceReplay

/// One entry of a driver list in an expectation: a driver name or a class of
/// outcomes. Classes exist because policies are about kinds of drivers
/// ("ends on a vfio driver"), not about one module name that a kernel upgrade
/// may rename or replace with a variant driver.
public enum DriverPattern: Hashable, Sendable, CustomStringConvertible {
    /// A driver core name; `-` and `_` compare alike, as module names do.
    case driver(String)
    /// vfio-pci or any vfio variant driver.
    case anyVFIO
    /// Any driver that is not a vfio driver.
    case anyNative
    /// Bound to some driver.
    case anyBound
    /// Left unbound.
    case unbound

    /// `vfio`, `native`, `bound`, `none` (also `unbound`) or a driver name.
    public init?(_ text: String) {
        switch text {
        case "vfio": self = .anyVFIO
        case "native": self = .anyNative
        case "bound": self = .anyBound
        case "none", "unbound": self = .unbound
        default:
            guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") })
            else { return nil }
            self = .driver(text)
        }
    }

    /// Whether an outcome (nil: unbound) is one this pattern names.
    public func matches(_ winner: String?) -> Bool {
        switch self {
        case .driver(let name): winner.map { DriverName.normalized($0) == DriverName.normalized(name) } ?? false
        case .anyVFIO: winner.map(DriverName.isVFIO) ?? false
        case .anyNative: winner.map { !DriverName.isVFIO($0) } ?? false
        case .anyBound: winner != nil
        case .unbound: winner == nil
        }
    }

    public var description: String {
        switch self {
        case .driver(let name): name
        case .anyVFIO: "vfio"
        case .anyNative: "native"
        case .anyBound: "bound"
        case .unbound: "none"
        }
    }

    /// The spelling of an outcome in messages and baselines.
    public static func describe(_ winner: String?) -> String { winner ?? "none" }
}
