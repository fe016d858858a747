/// The two forms of a trace.
public enum TraceEncoding: String, Sendable, CaseIterable {
    /// Chunked binary (`.brt`): what captures write.
    case binary
    /// One JSON object per line (`.jsonl`): for hand-written scenarios and diffs.
    case jsonl

    public static let binaryExtension = "brt"
    public static let jsonlExtension = "jsonl"

    /// By file name extension.
    public init?(path: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case TraceEncoding.binaryExtension: self = .binary
        case TraceEncoding.jsonlExtension, "json", "ndjson": self = .jsonl
        default: return nil
        }
    }

    /// By content: binary traces start with the magic.
    public init(sniffing prefix: some Collection<UInt8>) {
        self = prefix.starts(with: TraceFormat.magic) ? .binary : .jsonl
    }
}
