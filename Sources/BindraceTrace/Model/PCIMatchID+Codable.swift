// Match ids read and write as hex strings, with `*` for PCI_ANY_ID, like the
// `new_id` syntax people already type. Omitted subsystem ids mean any, an
// omitted class and mask mean 0, as for `new_id`.
extension PCIMatchID {
    enum CodingKeys: String, CodingKey {
        case vendor, device, subvendor, subdevice
        case classCode = "class"
        case classMask = "class_mask"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func id(_ key: CodingKeys, default value: UInt32?) throws -> UInt32 {
            guard let text = try c.decodeIfPresent(String.self, forKey: key) else {
                if let value { return value }
                throw DecodingError.keyNotFound(key, .init(codingPath: c.codingPath, debugDescription: "missing \(key.stringValue)"))
            }
            if text == "*" { return PCIMatchID.any }
            guard let v = HexField.parse(text, maxDigits: 4) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "'\(text)' is not a 16-bit hex id or *")
            }
            return v
        }
        func hex24(_ key: CodingKeys) throws -> UInt32 {
            guard let text = try c.decodeIfPresent(String.self, forKey: key) else { return 0 }
            guard let v = HexField.parse(text, maxDigits: 6) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "'\(text)' is not a 24-bit hex value")
            }
            return v
        }
        vendor = try id(.vendor, default: nil)
        device = try id(.device, default: nil)
        subvendor = try id(.subvendor, default: PCIMatchID.any)
        subdevice = try id(.subdevice, default: PCIMatchID.any)
        classCode = try hex24(.classCode)
        classMask = try hex24(.classMask)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        func text(_ v: UInt32) -> String { v == PCIMatchID.any ? "*" : HexField.format(v, digits: 4) }
        try c.encode(text(vendor), forKey: .vendor)
        try c.encode(text(device), forKey: .device)
        try c.encode(text(subvendor), forKey: .subvendor)
        try c.encode(text(subdevice), forKey: .subdevice)
        try c.encode(HexField.format(classCode, digits: 6), forKey: .classCode)
        try c.encode(HexField.format(classMask, digits: 6), forKey: .classMask)
    }
}
