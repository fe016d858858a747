import BindraceReplay

/// One generated rule: today's outcome of one device, as YAML lines. The
/// first line carries the BDF in a fixed flow form so --update can find the
/// entry again (and the comments written above it) without a YAML round trip,
/// which would lose every comment.
public struct BaselineEntry: Hashable, Sendable {
    public var device: String
    public var lines: [String]

    /// nil for a device that is not a PCI address or that nothing claims.
    public init?(device facts: DeviceFacts) {
        let r = facts.result
        guard r.matters, let bdf = SelectorSyntax.bdf(r.device), bdf == r.device else { return nil }
        device = bdf
        var select = "bdf: \"\(bdf)\""
        if SelectorSyntax.ids(r.ids) != nil { select += ", ids: \"\(r.ids)\"" }
        var lines = ["  - select: {\(select)}"]
        let feasible = r.feasibleWinners.map(Self.name)
        let feasibleLine = "    feasible-subset-of: [\(feasible.joined(separator: ", "))]"
        if r.verdict == .deterministic && feasible.count == 1 && !r.provenAcrossBoots {
            lines.append("    winner: \(feasible[0])")
            lines.append("    deterministic: true")
        } else if r.verdict.isRace || r.provenAcrossBoots {
            // A known race is recorded as tolerated, bounded by today's
            // feasible set: fixing it passes, a new claimant fails.
            let kind = r.verdict.isRace ? r.verdict : (Verdict.race(Set(r.feasibleWinners)) ?? .raceBoundVsUnbound)
            lines.append("    allow-races: [\(kind.rawValue)]")
        } else {
            lines.append("    verdict: \(r.verdict.rawValue)")
            if feasible.count == 1 { lines.append("    winner: \(feasible[0])") }
        }
        lines.append(feasibleLine)
        self.lines = lines
    }

    /// Driver names come from the traced kernel: anything that is not a
    /// plain name is quoted so the file stays valid YAML.
    static func name(_ winner: String?) -> String {
        guard let winner else { return "none" }
        if DriverPattern(winner) == .driver(winner) { return winner }
        return "\"" + winner.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// The BDF of an entry's first line, for --update.
    static func device(ofLine line: Substring) -> String? {
        guard line.hasPrefix("  - select: {bdf: \"") else { return nil }
        let rest = line.dropFirst("  - select: {bdf: \"".count)
        guard let quote = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<quote])
    }
}
