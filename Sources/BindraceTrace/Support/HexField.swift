/// Hex text for ids: lower-case, fixed width, no `0x` (an optional `0x` is
/// accepted on input).
enum HexField {
    static func parse(_ text: String, maxDigits: Int) -> UInt32? {
        var digits = Substring(text)
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
        guard !digits.isEmpty, digits.count <= maxDigits else { return nil }
        return UInt32(digits, radix: 16)
    }

    static func format(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return text.count >= digits ? text : String(repeating: "0", count: digits - text.count) + text
    }
}
