/// Numbered lines of a text file (1-based), without their `\n`.
struct TextLines: Sequence {
    let text: String

    func makeIterator() -> IndexingIterator<[(number: Int, text: Substring)]> {
        var pieces = text.split(separator: "\n", omittingEmptySubsequences: false)
        // The empty piece after a final newline is not a line.
        if pieces.last?.isEmpty == true { pieces.removeLast() }
        return pieces.enumerated().map { (number: $0.offset + 1, text: $0.element) }.makeIterator()
    }

    /// Splits on spaces and tabs, as strtok(" \\t") does.
    static func fields(_ line: Substring) -> [Substring] {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
    }
}
