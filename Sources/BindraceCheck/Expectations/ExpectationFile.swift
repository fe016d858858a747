/// A parsed expectation file. See docs/check.md for the format.
public struct ExpectationFile: Hashable, Sendable {
    /// The name it was read under, for messages (`FILE:LINE`).
    public var path: String
    /// Traces named by the file itself (`traces:`), relative to the file's
    /// folder, used when the command line names none.
    public var traces: [String]
    public var rules: [ExpectationRule]

    public init(path: String, traces: [String] = [], rules: [ExpectationRule] = []) {
        self.path = path
        self.traces = traces
        self.rules = rules
    }

    /// The format version this build reads and writes.
    public static let version = 1
}
