/// An assertion that does not hold for one device (or a rule that selected
/// nothing although it must). Everything a CI log needs to act on it.
public struct Violation: Hashable, Sendable, Codable {
    public var traces: [String]
    /// Empty when the rule selected no device.
    public var device: String
    public var ids: String
    /// The rule, by name or selector.
    public var rule: String
    /// `expectations.yaml:12`.
    public var expectation: String
    /// The assertion as written, e.g. `deterministic: true`.
    public var assertion: String
    /// What the analysis found instead.
    public var found: String
    /// The decisive events when the device races.
    public var racingEvents: [RacingEvent]
    /// The analysis' one-sentence explanation, when it has one.
    public var explanation: String?

    public init(traces: [String], device: String, ids: String, rule: String, expectation: String, assertion: String,
                found: String, racingEvents: [RacingEvent] = [], explanation: String? = nil) {
        self.traces = traces
        self.device = device
        self.ids = ids
        self.rule = rule
        self.expectation = expectation
        self.assertion = assertion
        self.found = found
        self.racingEvents = racingEvents
        self.explanation = explanation
    }
}
