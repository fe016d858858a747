/// The outcome of checking one analysis against one expectation file: one
/// case per (rule, selected device), the unit JUnit reports as a test case.
public struct CheckReport: Hashable, Sendable {
    public struct Case: Hashable, Sendable {
        public var rule: ExpectationRule
        /// nil: the rule selected no device.
        public var device: String?
        public var violations: [Violation]

        public var passed: Bool { violations.isEmpty }
        /// `rule title @ device`.
        public var name: String { "\(rule.title) @ \(device ?? "(no device)")" }
    }

    public var expectationFile: String
    public var traces: [String]
    public var cases: [Case]
    /// Trace-level warnings of the analysis (lost events, assumptions),
    /// and what-if notes: they qualify every verdict.
    public var warnings: [String]

    public init(expectationFile: String, traces: [String], cases: [Case], warnings: [String]) {
        self.expectationFile = expectationFile
        self.traces = traces
        self.cases = cases
        self.warnings = warnings
    }

    public var violations: [Violation] { cases.flatMap(\.violations) }
    public var passed: Bool { cases.allSatisfy(\.passed) }
}
