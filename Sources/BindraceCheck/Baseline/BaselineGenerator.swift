/// Today's outcomes as an expectation file (snapshot testing): generate it
/// once, review it, commit it; CI then fails when a later trace differs.
public enum BaselineGenerator {
    /// The generated section, markers included. `traces` are written as given
    /// (the caller makes them relative to the output file's folder).
    public static func section(devices: [DeviceFacts], traces: [String], comments: [String: [String]] = [:], header: [String] = []) -> String {
        var out = BaselineMarkers.begin + "\n"
        for line in header { out += line + "\n" }
        if !traces.isEmpty {
            out += "traces:\n"
            for t in traces { out += "  - \(quoted(t))\n" }
        }
        let entries = devices.compactMap(BaselineEntry.init(device:)).sorted { $0.device < $1.device }
        if entries.isEmpty {
            out += "baseline: []\n"
        } else {
            out += "baseline:\n"
            for entry in entries {
                for c in comments[entry.device] ?? [] { out += c + "\n" }
                for line in entry.lines { out += line + "\n" }
            }
        }
        return out + BaselineMarkers.end + "\n"
    }

    /// A whole new file: a short header, empty hand-written sections to fill
    /// in, then the generated section.
    public static func file(devices: [DeviceFacts], traces: [String]) -> String {
        """
        # bindrace expectations (docs/check.md).
        # Hand-written rules go under 'policies:' and 'expect:' (and comments
        # anywhere outside the generated section): 'bindrace baseline --update'
        # keeps them and rewrites only the generated section below.
        version: \(ExpectationFile.version)
        policies: []
        expect: []

        """ + section(devices: devices, traces: traces)
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
