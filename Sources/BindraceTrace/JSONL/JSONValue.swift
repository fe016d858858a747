/// The small JSON vocabulary the JSONL writer needs, with object keys kept in
/// the order given so that lines read naturally (time, task, kind, fields).
enum JSONValue {
    case string(String)
    case int(Int64)
    case uint(UInt64)
    case bool(Bool)
    case object([(String, JSONValue)])
    /// Already-serialized JSON (a snapshot's canonical encoding).
    case raw([UInt8])

    func write(to out: inout [UInt8]) {
        switch self {
        case .string(let text): JSONValue.writeString(text, to: &out)
        case .int(let v): out.append(contentsOf: String(v).utf8)
        case .uint(let v): out.append(contentsOf: String(v).utf8)
        case .bool(let v): out.append(contentsOf: (v ? "true" : "false").utf8)
        case .raw(let bytes): out.append(contentsOf: bytes)
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// RFC 8259 string escaping; every control character escaped, so that a
    /// line of JSONL never spans two lines whatever a trace's strings hold.
    static func writeString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0..<0x20, 0x7F:
                let hex = String(byte, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
