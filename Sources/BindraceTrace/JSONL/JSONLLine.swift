/// One line of a JSONL trace.
enum JSONLLine: Decodable {
    /// `{"format":"bindrace-trace","version":"1.0","events_per_chunk":4096}`
    case header(eventsPerChunk: Int)
    case event(Event)
    /// `{"snapshot":{…}}`
    case snapshot(Snapshot)
    /// `{"flush":true}`: the binary form ends an events chunk here.
    case flush

    static let format = "bindrace-trace"

    init(from decoder: any Decoder) throws {
        var fields = JSONFields(try decoder.container(keyedBy: JSONFields.Key.self))
        if fields.contains("format") {
            let format = try fields.string("format")
            guard format == JSONLLine.format else { throw JSONFields.Problem("format is '\(format)', expected '\(JSONLLine.format)'") }
            let version = try fields.string("version")
            guard version.split(separator: ".").first == "\(TraceFormat.majorVersion)" else {
                throw JSONFields.Problem("version \(version) is not supported (this bindrace reads \(TraceFormat.majorVersion).x)")
            }
            let perChunk = Int(try fields.uint32("events_per_chunk", default: UInt32(TraceFormat.defaultEventsPerChunk)))
            guard (1...TraceFormat.maxEventsPerChunk).contains(perChunk) else {
                throw JSONFields.Problem("events_per_chunk \(perChunk) is outside 1...\(TraceFormat.maxEventsPerChunk)")
            }
            try fields.rejectUnknown(context: "in the header line")
            self = .header(eventsPerChunk: perChunk)
        } else if fields.contains("snapshot") {
            let snapshot = try fields.decode("snapshot", as: Snapshot.self)
            try fields.rejectUnknown(context: "beside a snapshot")
            self = .snapshot(snapshot)
        } else if fields.contains("flush") {
            _ = try fields.bool("flush")
            try fields.rejectUnknown(context: "beside flush")
            self = .flush
        } else {
            let kindName = try fields.string("kind")
            guard let kind = EventKind(name: kindName) else { throw JSONFields.Problem("unknown event kind '\(kindName)'") }
            let timestamp = try fields.uint64("t")
            let cpu = try fields.uint16("cpu", default: 0)
            let pid = try fields.uint32("pid")
            let tid = try fields.uint32("tid", default: pid)
            let comm = try fields.string("comm", default: "")
            let payload: Payload
            do {
                payload = try Payload.read(kind: kind, from: &fields)
            } catch {
                // A misspelt key usually explains the missing one: name it first.
                try fields.rejectUnknown(context: "for kind '\(kindName)' (\(JSONFields.reason(error)))")
                throw error
            }
            try fields.rejectUnknown(context: "for kind '\(kindName)'")
            self = .event(Event(timestamp: timestamp, cpu: cpu, pid: pid, tid: tid, comm: comm, payload: payload))
        }
    }
}
