/// The default readable output of `bindrace match`: one block per input.
public enum MatchTable {
    public static func render(_ reports: [MatchReport], source: String) -> String {
        var out = "Source: \(source)\n"
        if reports.isEmpty { return out + "No devices or modaliases to resolve.\n" }
        for r in reports {
            out += "\n"
            if let d = r.input.device {
                out += "\(d.address)  \(r.input.modalias)\n"
                out += "  bound: \(d.driver ?? "-")" + (d.driverOverride.map { "   driver_override: \($0)" } ?? "") + "\n"
            } else {
                out += "\(r.input.modalias)\n"
            }
            if r.candidates.isEmpty {
                out += "  candidates: none\n"
            }
            for (i, c) in r.candidates.enumerated() {
                var line = "  \(i + 1). \(c.module)"
                if c.builtin { line += " [built-in]" }
                if c.matchedBy.count > 1 { line += " (matched by \(c.matchedBy.count) aliases)" }
                out += line + "\n"
                for b in c.blocks {
                    out += "       blocked: \(b.kind.rawValue) at \(b.origin)" + (b.detail.map { " (\($0))" } ?? "") + "\n"
                }
                if let s = c.softdep {
                    out += "       softdep: pre: \(s.pre.joined(separator: " ")) post: \(s.post.joined(separator: " ")) (\(s.origin))\n"
                }
                for o in c.options { out += "       options: \(o.options) (\(o.origin))\n" }
                for w in c.weakdeps { out += "       weakdep: \(w.modules.joined(separator: " ")) (\(w.origin))\n" }
            }
            for d in r.dynamicIDs {
                let entry = MatchDocument.DynamicIDEntry(id: d.id, matches: d.matches, note: d.note)
                out += "  dynamic id: \(entry.driver) \(entry.id) from \(entry.source)\(d.matches ? " — matches" : "")\n"
                if let note = d.note { out += "       note: \(note)\n" }
            }
            if let v = r.vfioVariant {
                out += "  vfio variant: \(v.module) (alias \(v.pattern), \(v.stars) wildcards)\n"
            }
            if let note = r.bindingNote { out += "  note: \(note)\n" }
            if r.canProbe == false { out += "  SR-IOV: VF not probed (PF sriov_drivers_autoprobe=0, no driver_override)\n" }
        }
        return out
    }
}
