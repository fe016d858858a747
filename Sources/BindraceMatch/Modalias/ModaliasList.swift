/// A file of modaliases, one per line. Blank lines are skipped; a line with
/// blanks inside cannot be a modalias (and would break tab-separated output).
public enum ModaliasList {
    public static func parse(_ text: String, file: String) throws(MatchInputError) -> [String] {
        var result: [String] = []
        for (number, line) in TextLines(text: text) {
            let trimmed = line.trimmingSpaces
            if trimmed.isEmpty { continue }
            if let bad = trimmed.unicodeScalars.first(where: { $0.value < 0x21 || $0.value == 0x7F }) {
                throw MatchInputError(file: file, line: number, message: "a modalias cannot contain \(bad.value == 0x20 ? "a space" : "control character 0x" + String(bad.value, radix: 16))")
            }
            if trimmed.utf8.count > AliasNormalizer.maximumLength {
                throw MatchInputError(file: file, line: number, message: "modalias longer than \(AliasNormalizer.maximumLength) bytes")
            }
            result.append(String(trimmed))
        }
        return result
    }
}
