/// One `alias PATTERN MODULE` line of modules.alias (or one `alias=` entry of
/// modules.builtin.modinfo, or a modprobe.d `alias` line).
public struct AliasEntry: Hashable, Sendable {
    /// The pattern as written.
    public var pattern: String
    /// The pattern after alias_normalize, as depmod indexes it.
    public var glob: KmodGlob
    public var module: String
    /// Where it was read: file and 1-based line (for modules.builtin.modinfo,
    /// the 1-based entry number).
    public var origin: Origin

    public init(pattern: String, glob: KmodGlob, module: String, origin: Origin) {
        self.pattern = pattern
        self.glob = glob
        self.module = module
        self.origin = origin
    }
}

/// A place in an input file.
public struct Origin: Hashable, Sendable, CustomStringConvertible, Codable {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}
