/// One bus's modalias syntax. A new bus (usb:, platform:, acpi:) adds a type
/// conforming to this and a case to `Modalias`; resolution itself works on the
/// text and needs no change.
public protocol ModaliasBusForm: Hashable, Sendable {
    /// The prefixes (`bus:`) this form parses.
    static var prefixes: [String] { get }
    init?(parsing text: String)
    var text: String { get }
}

/// A device modalias: structured where bindrace knows the bus, verbatim
/// otherwise.
public enum Modalias: Hashable, Sendable, CustomStringConvertible {
    case pci(PCIModalias)
    case other(String)

    public init(_ text: String) {
        if let pci = PCIModalias(parsing: text) { self = .pci(pci) } else { self = .other(text) }
    }

    public var text: String {
        switch self {
        case .pci(let p): p.text
        case .other(let t): t
        }
    }

    /// The bus prefix before the first `:` (`pci`, `vfio_pci`, `usb`...).
    public var bus: String { text.split(separator: ":", maxSplits: 1).first.map(String.init) ?? "" }
    public var description: String { text }
}
