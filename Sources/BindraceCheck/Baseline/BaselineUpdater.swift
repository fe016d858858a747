/// `bindrace baseline --update`: replaces the generated section of an
/// existing file and leaves every other byte alone. Comment lines a person
/// wrote directly above a generated entry travel with that device's new
/// entry; comments above the section's first key stay at its top.
public enum BaselineUpdater {
    public struct Outcome: Sendable {
        public var text: String
        /// What could not be kept (comments of devices no longer present).
        public var notes: [String]
    }

    public static func update(existing: String, path: String, devices: [DeviceFacts], traces: [String]) throws(ExpectationError) -> Outcome {
        var lines = existing.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        let begin = lines.firstIndex(where: BaselineMarkers.isBegin)
        let end = lines.firstIndex(where: BaselineMarkers.isEnd)
        guard let begin else {
            if let end { throw ExpectationError(file: path, line: end + 1, message: "end marker without the begin marker of the generated section") }
            // No generated section yet: check the file first (it must not have
            // its own traces:/baseline:, which the section would duplicate).
            let parsed = try ExpectationParser.parse(existing, path: path)
            if parsed.rules.contains(where: { $0.section == .baseline }) || !parsed.traces.isEmpty {
                let at = lines.firstIndex { $0.hasPrefix("baseline:") || $0.hasPrefix("traces:") }.map { $0 + 1 } ?? 0
                throw ExpectationError(file: path, line: at, message: "has 'baseline:' or 'traces:' outside generated-section markers; remove them or add the markers (docs/check.md) to update")
            }
            var text = existing
            if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
            return Outcome(text: text + "\n" + BaselineGenerator.section(devices: devices, traces: traces), notes: [])
        }
        guard let end, end > begin else {
            throw ExpectationError(file: path, line: begin + 1, message: "generated section without its end marker ('\(BaselineMarkers.end)')")
        }
        // Gather hand comments inside the old section.
        var header: [String] = []
        var comments: [String: [String]] = [:]
        var pending: [String] = []
        var sawKey = false
        for line in lines[(begin + 1)..<end] {
            if line.drop(while: { $0 == " " }).hasPrefix("#") {
                pending.append(String(line))
            } else if let device = BaselineEntry.device(ofLine: line) {
                comments[device, default: []] += pending
                pending = []
            } else if !line.isEmpty && !line.hasPrefix(" ") {
                if !sawKey { header += pending; pending = [] }
                sawKey = true
            }
        }
        header += pending
        let present = Set(devices.compactMap(BaselineEntry.init(device:)).map(\.device))
        var notes: [String] = []
        for (device, lines) in comments.sorted(by: { $0.key < $1.key }) where !present.contains(device) && !lines.isEmpty {
            notes.append("\(path): \(lines.count) comment line(s) above \(device) dropped: the device is no longer in the traces")
        }
        let section = BaselineGenerator.section(devices: devices, traces: traces, comments: comments, header: header)
        var out = lines[..<begin].joined(separator: "\n")
        if begin > 0 { out += "\n" }
        out += section
        let after = lines[(end + 1)...]
        if !after.isEmpty { out += after.joined(separator: "\n") + "\n" }
        return Outcome(text: out, notes: notes)
    }
}
