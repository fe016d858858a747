// PCI ids read and write as the hex strings people know them by (`10de`,
// class `030000`), not as decimal numbers.
extension PCIDeviceIDs {
    enum CodingKeys: String, CodingKey {
        case vendor, device, subvendor, subdevice
        case classCode = "class"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func hex16(_ key: CodingKeys, default value: UInt16? = nil) throws -> UInt16 {
            guard let text = try c.decodeIfPresent(String.self, forKey: key) else {
                if let value { return value }
                throw DecodingError.keyNotFound(key, .init(codingPath: c.codingPath, debugDescription: "missing \(key.stringValue)"))
            }
            guard let v = HexField.parse(text, maxDigits: 4) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "'\(text)' is not a 16-bit hex id")
            }
            return UInt16(v)
        }
        vendor = try hex16(.vendor)
        device = try hex16(.device)
        subvendor = try hex16(.subvendor, default: 0)
        subdevice = try hex16(.subdevice, default: 0)
        if let text = try c.decodeIfPresent(String.self, forKey: .classCode) {
            guard let v = HexField.parse(text, maxDigits: 6) else {
                throw DecodingError.dataCorruptedError(forKey: .classCode, in: c, debugDescription: "'\(text)' is not a 24-bit hex class")
            }
            classCode = v
        } else {
            classCode = 0
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(HexField.format(UInt32(vendor), digits: 4), forKey: .vendor)
        try c.encode(HexField.format(UInt32(device), digits: 4), forKey: .device)
        try c.encode(HexField.format(UInt32(subvendor), digits: 4), forKey: .subvendor)
        try c.encode(HexField.format(UInt32(subdevice), digits: 4), forKey: .subdevice)
        try c.encode(HexField.format(classCode, digits: 6), forKey: .classCode)
    }
}
