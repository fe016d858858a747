import BindraceTrace

/// Text and JSON forms of a diff.
public enum DiffRenderer {
    public static func text(_ changes: [OutcomeChange], before: [String], after: [String], notes: [String]) -> String {
        var out = ""
        for c in changes {
            out += "\(c.device)\(c.ids.isEmpty ? "" : " [\(c.ids)]"): \(c.kinds.joined(separator: ", ")) changed".terminalSafe + "\n"
            if let b = c.before { out += "  before: \(side(b))".terminalSafe + "\n" }
            if let a = c.after { out += "  after:  \(side(a))".terminalSafe + "\n" }
            for w in c.why { out += "  why: \(w)".terminalSafe + "\n" }
        }
        for n in notes { out += "note: \(n)".terminalSafe + "\n" }
        out += "\(before.joined(separator: ", ")) -> \(after.joined(separator: ", ")): \(changes.count) devices changed".terminalSafe + "\n"
        return out
    }

    static func side(_ s: OutcomeChange.Side) -> String {
        "\(s.verdict), observed \(s.observedWinner), feasible [\(s.feasibleWinners.joined(separator: ", "))]"
    }

    struct Document: Codable {
        var before: [String]
        var after: [String]
        var changes: [OutcomeChange]
        var notes: [String]
    }

    public static func json(_ changes: [OutcomeChange], before: [String], after: [String], notes: [String]) -> String {
        CheckJSONRenderer.encode(Document(before: before, after: after, changes: changes, notes: notes))
    }
}
