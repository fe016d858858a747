/// Module files in the match tables, as depmod would index them once
/// installed outside modules.order (extra/, updates/): their `alias=` entries
/// join modules.alias with a priority after every module depmod already
/// knows, in the order the files are given; `depends=` becomes their
/// modules.dep line and `softdep=` their modules.softdep lines. A file whose
/// module name is already in the tables replaces that module (as an
/// updates/ copy replaces the in-tree one).
extension ModuleTables {
    public mutating func add(moduleFiles files: [ModuleFile]) {
        guard !files.isEmpty else { return }
        let replaced = Set(files.map(\.name))
        let kept = aliases.items.filter { !replaced.contains($0.entry.module) }
        var base = kept.map(\.priority).filter { $0 != UInt32.max }.max().map { $0 + 1 } ?? 0
        base = max(base, UInt32(clamping: dep.ordered.count))
        var index = AliasIndex()
        for item in kept { index.insert(item.entry, priority: item.priority) }
        softdeps.softdeps.removeAll { replaced.contains($0.module) }
        softdeps.weakdeps.removeAll { replaced.contains($0.module) }
        for (n, file) in files.enumerated() {
            let name = file.name
            let priority = base + UInt32(n)
            for (number, entry) in file.modinfo.enumerated() {
                let origin = Origin(file: file.path, line: number + 1)
                switch entry.key {
                case "alias":
                    guard !entry.value.isEmpty, let normalized = AliasNormalizer.normalizeAlias(entry.value) else { continue }
                    index.insert(AliasEntry(pattern: entry.value, glob: KmodGlob(normalized: normalized), module: name, origin: origin), priority: priority)
                case "softdep":
                    let (pre, post) = ModprobeConfigParser.softdepLists(entry.value)
                    softdeps.softdeps.append(.init(module: name, pre: pre, post: post, origin: origin))
                case "weakdep":
                    let names = TextLines.fields(Substring(entry.value)).map(String.init)
                    if !names.isEmpty { softdeps.weakdeps.append(.init(module: name, modules: names, origin: origin)) }
                default:
                    continue
                }
            }
            // modules.dep lists every module needed, dependencies of
            // dependencies included; names depmod cannot place are kept as names.
            var closure: [String] = []
            var seen = Set<String>()
            for dependency in file.depends {
                let depName = AliasNormalizer.normalizeModuleName(dependency)
                let paths = dep.modules[depName].map { [$0.path] + $0.dependencies } ?? [dependency + ".ko"]
                for path in paths where seen.insert(path).inserted { closure.append(path) }
            }
            if dep.modules[name] == nil { dep.ordered.append(name) }
            dep.modules[name] = ModulesDep.Module(name: name, path: file.path, dependencies: closure, index: dep.ordered.firstIndex(of: name)!)
            let table = file.pciStaticIDs
            if table.isEmpty { pciTables[name] = nil } else { pciTables[name] = table }
            moduleFiles.append(file.path)
        }
        aliases = index
    }
}
