/// Why a device ends up where it does, in terms of trace events.
public struct Explanation: Hashable, Sendable {
    /// One event and its part in the story.
    public struct Point: Hashable, Sendable {
        public var event: EventRef
        /// What this event does for the outcome, e.g. "binds to e1000 if it comes first".
        public var role: String
    }

    /// One sentence.
    public var summary: String
    /// For a race: the two decisive events. For a forced outcome: the chain.
    public var points: [Point]
    /// Why no ordering exists between the two (races), or which edges force
    /// the order (deterministic outcomes).
    public var reason: String

    public init(summary: String, points: [Point], reason: String) {
        self.summary = summary
        self.points = points
        self.reason = reason
    }
}

/// A configuration change that fixes the outcome, checked by re-running the
/// analysis with the change applied.
public struct FixSuggestion: Hashable, Sendable {
    /// Stable identifier, e.g. `driver-override-at-coldplug`.
    public var kind: String
    public var text: String
    /// The feasible winners the re-run found with the change (all equal to the wanted driver).
    public var recheckedWinners: [String?]

    public init(kind: String, text: String, recheckedWinners: [String?]) {
        self.kind = kind
        self.text = text
        self.recheckedWinners = recheckedWinners
    }
}
