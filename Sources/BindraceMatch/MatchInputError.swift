/// Bad input to the match tables: names the file and, where there is one, the
/// line (text files) or the byte offset (module files), so the CLI can print
/// it as one line (`FILE:LINE: message`, `FILE: offset N: message`).
public struct MatchInputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// Byte offset in the file (for a compressed module: in the compressed
    /// file while decompressing, in the decompressed ELF image afterwards).
    public var offset: Int?
    public var message: String

    public init(file: String, line: Int? = nil, offset: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.offset = offset
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        if let offset { return "\(file): offset \(offset): \(message)" }
        return "\(file): \(message)"
    }
}
