/// Numbered lines of a text file (1-based), without their `\n`. Lines and
/// fields are split on bytes, as kmod splits them: a Character-wise split
/// costs tens of thousands of instructions a line, and never splits at
/// `\r\n`, which Swift takes for one Character.
struct TextLines: Sequence {
    let text: String

    struct Iterator: IteratorProtocol {
        let text: String
        var position: String.Index
        var number = 0

        mutating func next() -> (number: Int, text: Substring)? {
            let bytes = text.utf8
            guard position < bytes.endIndex else { return nil }
            let start = position
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            // Past the newline; the empty piece after a final newline is not a line.
            position = end < bytes.endIndex ? bytes.index(after: end) : end
            number += 1
            return (number, text[start..<end])
        }
    }

    func makeIterator() -> Iterator { Iterator(text: text, position: text.startIndex) }

    /// Splits on spaces and tabs, as strtok(" \\t") does, and on `\r` (a
    /// line of a file with CRLF line ends keeps its `\r`).
    static func fields(_ line: Substring) -> [Substring] {
        var out: [Substring] = []
        let bytes = line.utf8
        var i = bytes.startIndex
        while true {
            while i < bytes.endIndex, isBlank(bytes[i]) { i = bytes.index(after: i) }
            guard i < bytes.endIndex else { return out }
            let start = i
            while i < bytes.endIndex, !isBlank(bytes[i]) { i = bytes.index(after: i) }
            out.append(line[start..<i])
        }
    }

    @inline(__always)
    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }
}
