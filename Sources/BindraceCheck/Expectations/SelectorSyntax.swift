/// The spellings of selector values. Kept apart from the YAML walk so the
/// same rules serve the command line (`--override BDF=DRIVER`) and tests.
public enum SelectorSyntax {
    /// `0000:00:02.0`, or `00:02.0` (domain 0), lower-cased; nil when malformed.
    public static func bdf(_ text: String) -> String? {
        let t = text.lowercased()
        let parts = t.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let full: [String]
        switch parts.count {
        case 2: full = ["0000"] + parts
        case 3: full = parts
        default: return nil
        }
        let devfn = full[2].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard full[0].count == 4, full[1].count == 2, devfn.count == 2, devfn[0].count == 2, devfn[1].count == 1,
              let _ = UInt16(full[0], radix: 16), let _ = UInt8(full[1], radix: 16),
              let dev = UInt8(devfn[0], radix: 16), dev <= 0x1f, let fn = UInt8(devfn[1], radix: 16), fn <= 7
        else { return nil }
        return "\(full[0]):\(full[1]):\(devfn[0]).\(devfn[1])"
    }

    /// Exactly four hex digits.
    public static func hex16(_ text: String) -> UInt16? {
        guard text.count == 4, text.allSatisfy(\.isHexDigit) else { return nil }
        return UInt16(text, radix: 16)
    }

    /// `vendor:device[:subvendor:subdevice]`, each four hex digits or `*`.
    public static func ids(_ text: String) -> DeviceSelector.IDPattern? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 4 else { return nil }
        var fields: [UInt16?] = []
        for part in parts {
            if part == "*" { fields.append(nil); continue }
            guard let v = hex16(part) else { return nil }
            fields.append(v)
        }
        return DeviceSelector.IDPattern(
            vendor: fields[0], device: fields[1], subvendor: fields.count > 2 ? fields[2] : nil,
            subdevice: fields.count > 3 ? fields[3] : nil)
    }

    /// `03`, `0300`, `030000` (a prefix of the 24-bit class code), optional
    /// `0x`, or `VALUE/MASK` with six hex digits each.
    public static func classCode(_ text: String) -> DeviceSelector.ClassPattern? {
        var t = text.lowercased()
        if t.hasPrefix("0x") { t.removeFirst(2) }
        if let slash = t.firstIndex(of: "/") {
            let value = String(t[..<slash]), mask = String(t[t.index(after: slash)...])
            guard value.count == 6, mask.count == 6, let v = UInt32(value, radix: 16), let m = UInt32(mask, radix: 16),
                  value.allSatisfy(\.isHexDigit), mask.allSatisfy(\.isHexDigit) else { return nil }
            return .init(value: v, mask: m)
        }
        guard [2, 4, 6].contains(t.count), t.allSatisfy(\.isHexDigit), let v = UInt32(t, radix: 16) else { return nil }
        let shift = UInt32((6 - t.count) * 4)
        return .init(value: v << shift, mask: (0xFF_FFFF >> shift) << shift)
    }
}
