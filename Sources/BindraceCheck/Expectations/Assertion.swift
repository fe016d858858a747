import BindraceReplay

/// What a rule says about each device it selects. "Feasible" means: in some
/// ordering of the recorded events that happens-before allows, so the
/// ordering-wide assertions hold for every boot the trace stands for, not
/// only for the boot that was recorded.
public enum Assertion: Hashable, Sendable {
    /// The observed binding, in every trace given.
    case winner(DriverPattern)
    /// true: one feasible winner, no race, nothing lost or unexplained.
    /// false: a race (documents a known one; fails once it is fixed).
    case deterministic(Bool)
    /// None of these wins in any feasible ordering nor was observed.
    case never([DriverPattern])
    /// Every feasible winner is one of these.
    case feasibleSubsetOf([DriverPattern])
    /// Races of these kinds are tolerated; any other race kind is a violation.
    case allowRaces(Set<Verdict>)
    /// Policy form: every feasible ordering ends on this.
    case endsOn(DriverPattern)
    /// The verdict is one of these.
    case verdict([Verdict])

    /// The key as written in the file.
    public var key: String {
        switch self {
        case .winner: "winner"
        case .deterministic: "deterministic"
        case .never: "never"
        case .feasibleSubsetOf: "feasible-subset-of"
        case .allowRaces: "allow-races"
        case .endsOn: "ends-on"
        case .verdict: "verdict"
        }
    }

    /// `key: value` as a reader would write it, for messages and JUnit names.
    public var text: String {
        func list(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }
        switch self {
        case .winner(let p): return "winner: \(p)"
        case .deterministic(let b): return "deterministic: \(b)"
        case .never(let ps): return "never: \(list(ps.map(\.description)))"
        case .feasibleSubsetOf(let ps): return "feasible-subset-of: \(list(ps.map(\.description)))"
        case .allowRaces(let vs): return "allow-races: \(list(vs.map(\.rawValue).sorted()))"
        case .endsOn(let p): return "ends-on: \(p)"
        case .verdict(let vs): return "verdict: \(list(vs.map(\.rawValue)))"
        }
    }
}

/// An assertion and the line it is written on.
public struct LocatedAssertion: Hashable, Sendable {
    public var assertion: Assertion
    public var line: Int

    public init(_ assertion: Assertion, line: Int) {
        self.assertion = assertion
        self.line = line
    }
}
