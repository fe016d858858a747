/// modules.alias (and modules.symbols, same format) as depmod writes it:
/// `alias PATTERN MODULE` lines, `#` comments and blank lines.
public enum ModulesAliasFile {
    public struct Parsed: Sendable {
        public var entries: [AliasEntry] = []
        /// Patterns depmod leaves out of its index (unmatched bracket).
        public var skipped: [AliasEntry] = []
    }

    public static func parse(_ text: String, file: String) throws(MatchInputError) -> Parsed {
        var parsed = Parsed()
        for (number, line) in TextLines(text: text) {
            let fields = TextLines.fields(line)
            if fields.isEmpty || fields[0].hasPrefix("#") { continue }
            guard fields[0] == "alias" else {
                throw MatchInputError(file: file, line: number, message: "expected 'alias PATTERN MODULE', found '\(fields[0].prefix(40))'")
            }
            guard fields.count == 3 else {
                throw MatchInputError(file: file, line: number, message: "expected 'alias PATTERN MODULE' (3 fields), found \(fields.count)")
            }
            let pattern = String(fields[1])
            let module = String(fields[2])
            let origin = Origin(file: file, line: number)
            if let normalized = AliasNormalizer.normalizeAlias(pattern) {
                parsed.entries.append(AliasEntry(pattern: pattern, glob: KmodGlob(normalized: normalized), module: module, origin: origin))
            } else {
                parsed.skipped.append(AliasEntry(pattern: pattern, glob: KmodGlob(normalized: pattern), module: module, origin: origin))
            }
        }
        return parsed
    }
}
