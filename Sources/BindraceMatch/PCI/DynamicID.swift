import BindraceTrace

/// An ID added to a driver at run time (pci_add_dynid): through sysfs
/// `new_id`, or a module's `ids=` parameter (vfio-pci, pci-stub) coming from
/// modprobe.d or the kernel command line.
public struct DynamicID: Hashable, Sendable {
    public enum Source: Hashable, Sendable {
        case modprobeOptions(Origin)
        case kernelCommandLine(offset: Int)
        case newID
    }

    public var driver: String
    public var id: PCIMatchID
    public var source: Source

    public init(driver: String, id: PCIMatchID, source: Source) {
        self.driver = driver
        self.id = id
        self.source = source
    }

    /// Parses an `ids=` value as vfio-pci and pci-stub read it:
    /// `vendor:device[:subvendor[:subdevice[:class[:class_mask]]]]`, comma
    /// separated, hex; missing ids match any, missing class is ignored.
    /// Entries with fewer than two fields are skipped by the driver (it logs
    /// "invalid id string"); they are reported as errors here.
    public static func parseIDs(_ value: String, driver: String, source: Source, file: String, line: Int) throws(MatchInputError) -> [DynamicID] {
        var result: [DynamicID] = []
        for item in value.split(separator: ",") where !item.isEmpty {
            let fields = item.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count >= 2, fields.count <= 6 else {
                throw MatchInputError(file: file, line: line, message: "\(driver) ids: '\(item)' is not vendor:device[:subvendor[:subdevice[:class[:class_mask]]]]")
            }
            var numbers: [UInt32] = []
            for f in fields {
                var digits = f
                if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
                guard !digits.isEmpty, digits.count <= 8, let n = UInt32(digits, radix: 16) else {
                    throw MatchInputError(file: file, line: line, message: "\(driver) ids: '\(f)' in '\(item)' is not hexadecimal")
                }
                numbers.append(n)
            }
            let any = PCIMatchID.any
            let id = PCIMatchID(
                vendor: numbers[0], device: numbers[1],
                subvendor: numbers.count > 2 ? numbers[2] : any, subdevice: numbers.count > 3 ? numbers[3] : any,
                classCode: numbers.count > 4 ? numbers[4] : 0, classMask: numbers.count > 5 ? numbers[5] : 0)
            result.append(DynamicID(driver: driver, id: id, source: source))
        }
        return result
    }

    /// The sysfs dynamic ids in force after a sequence of trace payloads:
    /// each `new_id` write adds one (pci_add_dynid appends), each
    /// `remove_id` write removes the first of that driver it describes
    /// (remove_id_store: vendor and device equal, subvendor/subdevice equal
    /// unless PCI_ANY_ID, class equal under the written mask). `ids=` entries
    /// (dynamicIDAdded without a matching new_id write) are left to the
    /// configuration, which says where they come from.
    public static func newIDsInForce(_ payloads: [Payload]) -> [DynamicID] {
        var result: [DynamicID] = []
        for payload in payloads {
            switch payload {
            case .sysfsNewID(let driver, let id):
                result.append(DynamicID(driver: AliasNormalizer.normalizeModuleName(driver), id: id, source: .newID))
            case .sysfsRemoveID(let driver, let id):
                let name = AliasNormalizer.normalizeModuleName(driver)
                let any = PCIMatchID.any
                if let at = result.firstIndex(where: {
                    $0.driver == name && $0.id.vendor == id.vendor && $0.id.device == id.device
                        && (id.subvendor == any || $0.id.subvendor == id.subvendor)
                        && (id.subdevice == any || $0.id.subdevice == id.subdevice)
                        && ($0.id.classCode ^ id.classCode) & id.classMask == 0
                }) { result.remove(at: at) }
            default:
                continue
            }
        }
        return result
    }
}
