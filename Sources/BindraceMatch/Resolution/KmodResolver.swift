/// Resolves names and modaliases to modules as libkmod does
/// (libkmod-module.c, kmod_module_new_from_lookup): modprobe.d aliases, module
/// names, symbols, install/remove commands, modules.alias, built-in names,
/// built-in aliases; the first source that yields anything wins.
public struct KmodResolver: Sendable {
    public var tables: ModuleTables
    /// modprobe.d plus what kmod takes from the kernel command line.
    public var config: ModprobeConfig

    public init(tables: ModuleTables, config: ModprobeConfig = ModprobeConfig()) {
        self.tables = tables
        self.config = config
    }

    public func lookup(_ name: String) -> AliasLookup {
        var result = AliasLookup()
        guard let alias = AliasNormalizer.normalizeAlias(name) else { return result }
        result.normalized = alias
        let key = Array(alias.utf8)

        // modprobe.d aliases: fnmatch on the whole name, in configuration order.
        for entry in config.aliases where FNMatch.matches(pattern: entry.pattern, string: alias) {
            result.candidates.append(.init(module: entry.module, pattern: entry.pattern, origin: entry.origin, viaAlias: true))
        }
        if finish(&result, .configAlias) { return result }

        if tables.dep.modules[alias] != nil {
            result.candidates.append(.init(module: alias, pattern: nil, origin: nil, viaAlias: false))
        }
        if finish(&result, .moduleName) { return result }

        if alias.hasPrefix("symbol:") {
            for item in tables.symbols.lookup(key) {
                result.candidates.append(.init(module: item.entry.module, pattern: item.entry.pattern, origin: item.entry.origin, viaAlias: true))
            }
        }
        if finish(&result, .symbols) { return result }

        // Only the first install command, else the first remove command.
        if let c = config.installCommands.first(where: { $0.module == alias }) ?? config.removeCommands.first(where: { $0.module == alias }) {
            result.candidates.append(.init(module: alias, pattern: nil, origin: c.origin, viaAlias: false))
        }
        if finish(&result, .command) { return result }

        for item in tables.aliases.lookup(key) {
            result.candidates.append(.init(module: item.entry.module, pattern: item.entry.pattern, origin: item.entry.origin, viaAlias: true))
        }
        if finish(&result, .modulesAlias) { return result }

        if tables.builtinModules.contains(alias) {
            result.candidates.append(.init(module: alias, pattern: nil, origin: nil, viaAlias: false))
        }
        if finish(&result, .builtinName) { return result }

        for item in tables.builtinAliases.lookup(key) {
            result.candidates.append(.init(module: item.entry.module, pattern: item.entry.pattern, origin: item.entry.origin, viaAlias: true))
        }
        _ = finish(&result, .builtinAlias)
        return result
    }

    private func finish(_ result: inout AliasLookup, _ source: AliasLookup.Source) -> Bool {
        guard !result.candidates.isEmpty else { return false }
        result.source = source
        return true
    }
}
