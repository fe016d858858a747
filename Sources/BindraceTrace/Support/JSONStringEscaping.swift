/// The one JSON string escaper behind every JSON bindrace writes (JSONL
/// traces, reports, Chrome traces). Beyond RFC 8259 it escapes every C0 and
/// C1 control, DEL and U+2028/U+2029, so text from a trace breaks neither a
/// JSONL line, nor a terminal showing it, nor a `<script>` embedding it.
public enum JSONStringEscaping {
    /// The escape for a scalar, or nil when it is written as itself.
    @inline(__always)
    static func escape(_ scalar: Unicode.Scalar) -> String? {
        switch scalar {
        case "\"": return "\\\""
        case "\\": return "\\\\"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default:
            let v = scalar.value
            guard v < 0x20 || (v >= 0x7F && v < 0xA0) || v == 0x2028 || v == 0x2029 else { return nil }
            let hex = String(v, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
    }

    /// Appends `text` quoted and escaped.
    public static func append(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            if let escaped = escape(scalar) { out += escaped } else { out.unicodeScalars.append(scalar) }
        }
        out += "\""
    }

    /// Appends `text` quoted and escaped, as UTF-8.
    public static func append(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings in a trace are plain ASCII names: copied as they are.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            out.append(contentsOf: text.utf8)
        } else {
            for scalar in text.unicodeScalars {
                if let escaped = escape(scalar) {
                    out.append(contentsOf: escaped.utf8)
                } else {
                    out.append(contentsOf: String(scalar).utf8)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
