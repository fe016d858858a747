/// The comment lines that delimit the generated part of an expectation
/// file. --update rewrites only what lies between them, so hand-written
/// policies, rules and comments elsewhere in the file survive byte for byte.
public enum BaselineMarkers {
    public static let begin = "# >>> bindrace baseline: generated; 'bindrace baseline --update' rewrites up to the end marker"
    public static let end = "# <<< end of bindrace baseline"

    static func isBegin(_ line: Substring) -> Bool { line.hasPrefix("# >>> bindrace baseline") }
    static func isEnd(_ line: Substring) -> Bool { line.hasPrefix("# <<< end of bindrace baseline") }
}
