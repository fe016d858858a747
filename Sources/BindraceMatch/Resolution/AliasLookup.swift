/// What kmod_module_new_from_lookup returns for one name: the modules, in
/// order, and which source produced them (the first source that yields
/// anything wins).
public struct AliasLookup: Hashable, Sendable {
    public enum Source: String, Hashable, Sendable, Codable {
        /// A modprobe.d `alias` line.
        case configAlias = "modprobe.d alias"
        /// The name is a module in modules.dep.
        case moduleName = "module name"
        /// modules.symbols (`symbol:` names).
        case symbols = "modules.symbols"
        /// A modprobe.d `install` or `remove` command for this name.
        case command = "modprobe.d command"
        case modulesAlias = "modules.alias"
        /// A built-in module's name (modules.builtin).
        case builtinName = "modules.builtin"
        /// A built-in module's alias (modules.builtin.modinfo).
        case builtinAlias = "modules.builtin.modinfo"
    }

    public struct Candidate: Hashable, Sendable {
        public var module: String
        /// The pattern that matched, where the source has one.
        public var pattern: String?
        public var origin: Origin?
        /// Created from an alias (kmod sets mod->alias): blacklist applies.
        public var viaAlias: Bool
    }

    /// The name after alias_normalize (nil when kmod rejects it).
    public var normalized: String?
    public var source: Source?
    /// kmod's list, duplicates included (what `modprobe -R` prints).
    public var candidates: [Candidate] = []

    /// Module names in order with repeats removed (first occurrence kept):
    /// what `modprobe ALIAS` ends up loading.
    public var modules: [String] {
        var seen = Set<String>()
        return candidates.map(\.module).filter { seen.insert($0).inserted }
    }

    /// Module names exactly as `modprobe -R` prints them.
    public var modulesWithDuplicates: [String] { candidates.map(\.module) }
}
