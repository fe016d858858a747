/// modules.alias (and modules.symbols, same format) as depmod writes it:
/// `alias PATTERN MODULE` lines, `#` comments and blank lines.
///
/// Read on bytes, lines and fields split as `TextLines` splits them, eight
/// bytes at a time (`ByteScan`): a full modules.alias has tens of thousands
/// of lines, and through `TextLines`'s substrings it took about 13,000
/// instructions a line, most of the time a report on a trace spends before
/// its first lifetime is judged.
public enum ModulesAliasFile {
    public struct Parsed: Sendable {
        public var entries: [AliasEntry] = []
        /// Patterns depmod leaves out of its index (unmatched bracket).
        public var skipped: [AliasEntry] = []
    }

    public static func parse(_ text: String, file: String) throws(MatchInputError) -> Parsed {
        var text = text
        return try text.withUTF8 { parse(bytes: $0, file: file) }.get()
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>, file: String) -> Result<Parsed, MatchInputError> {
        var parsed = Parsed()
        // About 50 bytes a line in a real modules.alias.
        parsed.entries.reserveCapacity(bytes.count / 48)
        func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
        func isAlias(_ range: Range<Int>) -> Bool {
            let s = range.lowerBound
            return range.count == 5 && bytes[s] == UInt8(ascii: "a") && bytes[s + 1] == UInt8(ascii: "l")
                && bytes[s + 2] == UInt8(ascii: "i") && bytes[s + 3] == UInt8(ascii: "a") && bytes[s + 4] == UInt8(ascii: "s")
        }
        var lineStart = 0, number = 0
        while lineStart < bytes.count {
            let lineEnd = ByteScan.newline(in: bytes, from: lineStart)
            number += 1
            defer { lineStart = lineEnd + 1 }
            // The first three fields, and how many there are.
            var fields = (0..<0, 0..<0, 0..<0)
            var count = 0
            var i = lineStart
            while true {
                i = ByteScan.nonBlank(in: bytes, from: i, to: lineEnd)
                guard i < lineEnd else { break }
                let start = i
                i = ByteScan.blank(in: bytes, from: i, to: lineEnd)
                switch count {
                case 0: fields.0 = start..<i
                case 1: fields.1 = start..<i
                case 2: fields.2 = start..<i
                default: break
                }
                count += 1
            }
            if count == 0 || bytes[fields.0.lowerBound] == UInt8(ascii: "#") { continue }
            guard isAlias(fields.0) else {
                return .failure(MatchInputError(file: file, line: number, message: "expected 'alias PATTERN MODULE', found '\(text(fields.0).prefix(40))'"))
            }
            guard count == 3 else {
                return .failure(MatchInputError(file: file, line: number, message: "expected 'alias PATTERN MODULE' (3 fields), found \(count)"))
            }
            let pattern = text(fields.1)
            let module = text(fields.2)
            let origin = Origin(file: file, line: number)
            if let normalized = AliasNormalizer.normalizeAlias(bytes: UnsafeBufferPointer(rebasing: bytes[fields.1])) {
                parsed.entries.append(AliasEntry(pattern: pattern, glob: KmodGlob(bytes: normalized), module: module, origin: origin))
            } else {
                parsed.skipped.append(AliasEntry(pattern: pattern, glob: KmodGlob(normalized: pattern), module: module, origin: origin))
            }
        }
        return .success(parsed)
    }
}
