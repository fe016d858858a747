/// The modprobe.d configuration as libkmod holds it (libkmod-config.c): every
/// list in the order its lines were read, files in name order across all
/// configuration directories, kernel command line entries appended last.
public struct ModprobeConfig: Sendable, Hashable {
    public struct Alias: Hashable, Sendable { public var pattern: String; public var module: String; public var origin: Origin }
    public struct Blacklist: Hashable, Sendable { public var module: String; public var origin: Origin }
    public struct Options: Hashable, Sendable { public var module: String; public var options: String; public var origin: Origin }
    public struct Command: Hashable, Sendable { public var module: String; public var command: String; public var origin: Origin }
    public struct Softdep: Hashable, Sendable {
        /// A module name pattern (kmod fnmatches it against the module name).
        public var module: String
        public var pre: [String]
        public var post: [String]
        public var origin: Origin
    }
    /// `weakdep MODULE NAMES...` (kmod 33): modules that may be needed but are
    /// never loaded on their own (initramfs tools copy them). Recorded and
    /// reported; it never changes what loads.
    public struct Weakdep: Hashable, Sendable { public var module: String; public var modules: [String]; public var origin: Origin }

    public var aliases: [Alias] = []
    public var blacklists: [Blacklist] = []
    public var options: [Options] = []
    public var installCommands: [Command] = []
    public var removeCommands: [Command] = []
    public var softdeps: [Softdep] = []
    public var weakdeps: [Weakdep] = []
    /// The files read, in reading order.
    public var files: [String] = []
    /// Lines kmod skips with a log message (unknown command, missing
    /// argument, `include`/`config`), one error each naming file and line.
    /// Every other line of those files is kept.
    public var rejectedLines: [MatchInputError] = []

    public init() {}

    public mutating func append(_ other: ModprobeConfig) {
        aliases += other.aliases
        blacklists += other.blacklists
        options += other.options
        installCommands += other.installCommands
        removeCommands += other.removeCommands
        softdeps += other.softdeps
        weakdeps += other.weakdeps
        files += other.files
        rejectedLines += other.rejectedLines
    }

    /// What `modprobe -c` prints before "# End of configuration files".
    public func renderLikeModprobeShowConfig() -> String {
        var out = ""
        for b in blacklists { out += "blacklist \(b.module)\n" }
        for c in installCommands { out += "install \(c.module) \(c.command)\n" }
        for c in removeCommands { out += "remove \(c.module) \(c.command)\n" }
        for a in aliases { out += "alias \(a.pattern) \(a.module)\n" }
        for o in options { out += "options \(o.module) \(o.options)\n" }
        for s in softdeps {
            // kmod 30 joins the two halves without a space (its
            // kmod_softdep_get_plain_softdep); reproduced so -c output compares.
            var plain = ""
            if !s.pre.isEmpty { plain += "pre: " + s.pre.joined(separator: " ") }
            if !s.post.isEmpty { plain += "post: " + s.post.joined(separator: " ") }
            out += "softdep \(s.module) \(plain)\n"
        }
        return out
    }

    // MARK: queries, with kmod's name rules

    /// The blacklist entries naming `module` (blacklist compares the module name exactly).
    public func blacklisting(_ module: String) -> [Blacklist] { blacklists.filter { $0.module == module } }

    /// The options kmod passes to `module` (kmod_module_get_options: every
    /// matching line, joined by a space, in order).
    public func options(for module: String, alias: String? = nil) -> [Options] {
        options.filter { $0.module == module || (alias != nil && $0.module == alias) }
    }

    /// The first install command for `module` (kmod uses only the first).
    public func installCommand(for module: String) -> Command? { installCommands.first { $0.module == module } }

    /// The weakdep lines for `module` (kmod 33 keeps every one).
    public func weakdeps(for module: String) -> [Weakdep] { weakdeps.filter { $0.module == module } }

    /// The first softdep line whose pattern matches `module` (kmod: first only).
    public func softdep(for module: String) -> Softdep? {
        softdeps.first { FNMatch.matches(pattern: $0.module, string: module) }
    }
}
