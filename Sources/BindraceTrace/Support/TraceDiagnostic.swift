/// Something a reader noticed about its input: where, and whether anything was lost.
public struct TraceDiagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable {
        /// Nothing valid was lost (e.g. an unknown chunk type skipped, timestamps out of order).
        case warning
        /// Data was lost: a damaged, truncated or missing chunk, a bad line.
        case damage
    }

    public var severity: Severity
    /// Byte offset in a binary trace.
    public var offset: Int?
    /// 1-based line in a JSONL trace.
    public var line: Int?
    /// Chunk sequence number in a binary trace.
    public var chunk: Int?
    public var message: String

    public init(severity: Severity, offset: Int? = nil, line: Int? = nil, chunk: Int? = nil, message: String) {
        self.severity = severity
        self.offset = offset
        self.line = line
        self.chunk = chunk
        self.message = message
    }

    /// `offset 123: chunk 4: message`, or `17: message` for a line.
    public var description: String {
        var parts: [String] = []
        if let line { parts.append("\(line)") }
        if let offset { parts.append("offset \(offset)") }
        if let chunk { parts.append("chunk \(chunk)") }
        parts.append(message)
        return parts.joined(separator: ": ")
    }

    /// The one-line form with the file name in front: `a.brt: offset 96: …`
    /// or `a.jsonl:17: …`.
    public func rendered(file: String) -> String {
        if let line { return "\(file):\(line): " + description.dropFirst("\(line): ".count) }
        return "\(file): \(description)"
    }
}

/// A reader cannot go on at all (not a trace, unsupported version, I/O error).
public struct TraceError: Error, Hashable, Sendable, CustomStringConvertible {
    public var offset: Int?
    public var line: Int?
    public var message: String

    public init(offset: Int? = nil, line: Int? = nil, message: String) {
        self.offset = offset
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(line): \(message)" }
        if let offset { return "offset \(offset): \(message)" }
        return message
    }

    public func rendered(file: String) -> String {
        if let line { return "\(file):\(line): \(message)" }
        if let offset { return "\(file): offset \(offset): \(message)" }
        return "\(file): \(message)"
    }
}
