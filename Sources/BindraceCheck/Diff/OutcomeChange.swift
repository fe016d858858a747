import BindraceReplay

/// How one device's outcome differs between two analyses (before → after).
public struct OutcomeChange: Hashable, Sendable, Codable {
    public var device: String
    public var ids: String
    /// `winner`, `feasible`, `verdict`, `added`, `removed`.
    public var kinds: [String]
    public var before: Side?
    public var after: Side?
    /// Why, as far as the two analyses tell: new or vanished candidate
    /// drivers, and the explanation of the side that races.
    public var why: [String]

    public struct Side: Hashable, Sendable, Codable {
        public var observedWinner: String
        public var feasibleWinners: [String]
        public var verdict: String

        init(_ r: DeviceResult) {
            observedWinner = DriverPattern.describe(r.observedWinner)
            feasibleWinners = r.feasibleWinners.map(DriverPattern.describe).sorted()
            verdict = r.verdict.rawValue
        }
    }
}
