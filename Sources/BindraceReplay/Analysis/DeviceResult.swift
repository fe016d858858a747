import BindraceTrace

/// The analysis of one device (across every trace given).
public struct DeviceResult: Hashable, Sendable {
    public var device: String
    /// `8086:100e`, empty when the trace gave no PCI ids.
    public var ids: String
    /// Drivers that could claim it, in registration order (then drivers an
    /// override names that never registered).
    public var candidates: [String]
    /// The binding the trace showed at its end; nil: unbound or never bound.
    public var observedWinner: String?
    /// The same per trace when several traces were given (trace name → winner).
    public var observedPerTrace: [String: String?]
    /// Drivers that win in some ordering consistent with happens-before (nil: stays unbound).
    public var feasibleWinners: [String?]
    public var verdict: Verdict
    /// Several boots showed different winners: nondeterminism is proven.
    public var provenAcrossBoots: Bool
    /// Why replaying the observed order did not give the observed binding.
    public var unexplained: String?
    public var explanation: Explanation?
    public var suggestions: [FixSuggestion]
    /// Probe outcomes assumed rather than observed.
    public var assumptions: [String]
    /// The exploration budget ran out: the winner set may be incomplete.
    public var truncated: Bool

    public init(
        device: String, ids: String, candidates: [String], observedWinner: String?, observedPerTrace: [String: String?],
        feasibleWinners: [String?], verdict: Verdict, provenAcrossBoots: Bool, unexplained: String?, explanation: Explanation?,
        suggestions: [FixSuggestion], assumptions: [String], truncated: Bool
    ) {
        self.device = device
        self.ids = ids
        self.candidates = candidates
        self.observedWinner = observedWinner
        self.observedPerTrace = observedPerTrace
        self.feasibleWinners = feasibleWinners
        self.verdict = verdict
        self.provenAcrossBoots = provenAcrossBoots
        self.unexplained = unexplained
        self.explanation = explanation
        self.suggestions = suggestions
        self.assumptions = assumptions
        self.truncated = truncated
    }

    /// A device a report should show: something could claim it or something happened.
    public var matters: Bool {
        !candidates.isEmpty || observedWinner != nil || verdict != .deterministic
    }
}

/// The analysis of one or more traces of the same machine.
public struct AnalysisResult: Hashable, Sendable {
    public var traces: [String]
    /// Most severe first, then by device name.
    public var devices: [DeviceResult]
    /// Trace-level warnings: lost events, damage, probes not attached and
    /// which conclusions that weakens, assumptions.
    public var warnings: [String]
    public var eventCount: Int

    public init(traces: [String], devices: [DeviceResult], warnings: [String], eventCount: Int) {
        self.traces = traces
        self.devices = devices
        self.warnings = warnings
        self.eventCount = eventCount
    }

    public var hasVFIONativeRace: Bool { devices.contains { $0.verdict == .raceVFIOVsNative } }
}
