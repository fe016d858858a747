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
        case .string(let text): JSONStringEscaping.append(text, to: &out)
        case .int(let v): out.append(contentsOf: String(v).utf8)
        case .uint(let v): out.append(contentsOf: String(v).utf8)
        case .bool(let v): out.append(contentsOf: (v ? "true" : "false").utf8)
        case .raw(let bytes): out.append(contentsOf: bytes)
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONStringEscaping.append(key, to: &out)
                out.append(UInt8(ascii: ":"))
                value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
