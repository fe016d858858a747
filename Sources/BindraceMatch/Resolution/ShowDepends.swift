/// What `modprobe --show-depends NAME` prints, from kmod's probe list
/// (libkmod-module.c, kmod_module_probe_insert_module with dry run and
/// ignore-loaded): per module of the lookup, its dependencies (each with its
/// own softdeps around it), then its softdep pre targets, itself, its post
/// targets; `insmod PATH OPTIONS`, `builtin NAME` or `install COMMAND OPTIONS`.
/// A module reached through an alias and blacklisted prints nothing.
public enum ShowDepends {
    public static func render(_ lookup: AliasLookup, resolver: KmodResolver, moduleDirectory: String) -> String {
        var out = ""
        for candidate in lookup.candidates {
            if candidate.viaAlias && !resolver.config.blacklisting(candidate.module).isEmpty { continue }
            var builder = ProbeList(resolver: resolver)
            builder.visit(candidate.module, required: true)
            for step in builder.steps {
                // Only the looked-up module carries the alias (kmod's mod->alias).
                let alias = step.module == candidate.module && candidate.viaAlias ? lookup.normalized : nil
                out += line(step, resolver: resolver, moduleDirectory: moduleDirectory, alias: alias)
            }
        }
        return out
    }

    struct Step {
        var module: String
        var ignoreCommand: Bool
    }

    struct ProbeList {
        let resolver: KmodResolver
        var visited = Set<String>()
        var ignoreCommand: [String: Bool] = [:]
        var order: [String] = []

        var steps: [Step] { order.map { Step(module: $0, ignoreCommand: ignoreCommand[$0] ?? false) } }

        mutating func visit(_ module: String, required: Bool) {
            if visited.contains(module) { return }
            visited.insert(module)
            for dep in dependencies(module) { fillSoftdep(dep) }
            fillSoftdep(module)
        }

        mutating func fillSoftdep(_ module: String) {
            let (pre, post) = softdeps(module)
            for m in pre { visit(m, required: false) }
            order.append(module)
            ignoreCommand[module] = !(pre.isEmpty && post.isEmpty)
            for m in post { visit(m, required: false) }
        }

        func dependencies(_ module: String) -> [String] {
            // kmod_module_parse_depline prepends: modules.dep order reversed.
            (resolver.tables.dep.modules[module]?.dependencies.map { AliasNormalizer.moduleName(fromPath: $0) } ?? []).reversed()
        }

        /// The first softdep line whose pattern matches, its names looked up
        /// like any alias (every result kept).
        func softdeps(_ module: String) -> ([String], [String]) {
            guard let s = resolver.config.softdep(for: module) else { return ([], []) }
            let pre = s.pre.flatMap { resolver.lookup($0).modulesWithDuplicates }
            let post = s.post.flatMap { resolver.lookup($0).modulesWithDuplicates }
            return (pre, post)
        }
    }

    static func line(_ step: Step, resolver: KmodResolver, moduleDirectory: String, alias: String?) -> String {
        // module_options_concat leaves a space after the options.
        let joined = resolver.config.options.filter { $0.module == step.module || (alias != nil && $0.module == alias) }.map(\.options).joined(separator: " ")
        let options = joined.isEmpty ? "" : joined + " "
        if let command = resolver.config.installCommand(for: step.module), !step.ignoreCommand {
            return "install \(command.command) \(options)\n"
        }
        if let module = resolver.tables.dep.modules[step.module] {
            let path = module.path.hasPrefix("/") ? module.path : moduleDirectory + "/" + module.path
            return "insmod \(path) \(options)\n"
        }
        if resolver.tables.isBuiltin(step.module) { return "builtin \(step.module)\n" }
        return ""
    }
}
