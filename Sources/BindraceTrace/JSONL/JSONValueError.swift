/// Words for the errors Foundation's JSON parser throws on a malformed
/// value. Their type is not public and prints as an enum dump
/// (`unexpectedCharacter(context: Optional("in number"), ascii: 45,
/// location: ...(line: 1, column: 40, index: 39))`), which is no message for
/// a user. This reads the case and the fields a user can act on from that
/// text; a case it does not know is named in words, and text that is not
/// such a dump comes back as it is.
enum JSONValueError {
    /// `expecting`: what the field should hold ("a 32-bit integer"), said
    /// when a number does not fit.
    static func describe(_ error: any Error, expecting: String? = nil) -> String {
        let dump = String(describing: error)
        let name = String(dump.prefix { $0 != "(" })
        guard isCaseName(name), name == dump || dump.last == ")" else { return dump }
        var text: String
        switch name {
        case "unexpectedCharacter":
            text = "unexpected " + character(field("ascii", in: dump))
            if let context = quoted("context: Optional", in: dump) { text += " " + context }
        case "unexpectedEscapedCharacter":
            let escaped = field("ascii", in: dump).flatMap(UInt8.init).flatMap(printable) ?? ""
            text = "invalid escape '\\\(escaped)'"
        case "unescapedControlCharacterInString":
            text = "control character " + character(field("ascii", in: dump)) + " in a string"
        case "numberIsNotRepresentableInSwift":
            // A line can hold a number of any length; the message stays one short line.
            let number = quoted("parsed: ", in: dump).map { $0.count > 40 ? $0.prefix(40) + "…" : $0 } ?? "the number"
            text = expecting.map { "\(number) is not \($0)" } ?? "\(number) does not fit"
        case "unexpectedEndOfFile":
            text = "the text ends inside a value"
        case "cannotConvertInputStringDataToUTF8", "cannotConvertInputDataToUTF8":
            text = "not UTF-8"
        case "invalidHexDigitSequence", "couldNotCreateUnicodeScalarFromUInt32", "expectedLowSurrogateUTF8SequenceAfterHighSurrogate":
            text = "invalid \\u escape"
        default:
            text = words(name)
        }
        if let column = field("column", in: dump) { text += " at column \(column)" }
        return text
    }

    /// The digits after `name: ` in the dump.
    private static func field(_ name: String, in dump: String) -> String? {
        guard let after = dump.firstRange(of: name + ": ")?.upperBound else { return nil }
        let digits = dump[after...].prefix { $0.isNumber }
        return digits.isEmpty ? nil : String(digits)
    }

    /// The quoted text after `prefix` in the dump, e.g. `parsed: "-1"`.
    private static func quoted(_ prefix: String, in dump: String) -> String? {
        guard let after = (dump.firstRange(of: prefix + "(\"") ?? dump.firstRange(of: prefix + "\""))?.upperBound else { return nil }
        let rest = dump[after...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    /// A byte the parser stopped at: quoted when printable, else in hex.
    private static func character(_ ascii: String?) -> String {
        guard let ascii, let byte = UInt8(ascii) else { return "character" }
        if let text = printable(byte) { return "'\(text)'" }
        return "byte 0x" + HexField.format(UInt32(byte), digits: 2)
    }

    private static func printable(_ byte: UInt8) -> String? {
        (0x21..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : nil
    }

    /// An enum case's name: a lower-case letter, then letters and digits.
    private static func isCaseName(_ text: String) -> Bool {
        guard let first = text.first, first.isLowercase, first.isASCII else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    /// `unexpectedEndOfFile` → "unexpected end of file".
    private static func words(_ name: String) -> String {
        var out = ""
        for c in name {
            if c.isUppercase { out += " " + c.lowercased() } else { out.append(c) }
        }
        return out
    }
}
