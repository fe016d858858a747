import BindraceSystem

/// Everything depmod wrote into a module directory that decides which module
/// an alias resolves to, parsed from the text files (the .bin indexes are
/// derived from them).
public struct ModuleTables: Sendable {
    /// Where the tables came from, for messages (a directory, or "snapshot").
    public var directory: String
    public var aliases = AliasIndex()
    /// modules.alias lines depmod leaves out of its index (unmatched bracket).
    public var skippedAliases: [AliasEntry] = []
    public var builtinAliases = AliasIndex()
    public var symbols = AliasIndex()
    public var order = ModulesOrder()
    public var dep = ModulesDep()
    /// softdep lines of modules.softdep (kmod reads them like a config file).
    public var softdeps = ModprobeConfig()
    public var builtinModinfo = BuiltinModinfo()
    /// Names listed in modules.builtin.
    public var builtinModules: Set<String> = []
    /// Which of the files were present.
    public var filesRead: [String] = []
    /// Module files added with `add(moduleFiles:)`, in the order given.
    public var moduleFiles: [String] = []
    /// The PCI id tables of modules read from their files (module name ->
    /// entries in table order). Modules known only from modules.alias are
    /// absent: their table survives only as aliases.
    public var pciTables: [String: [PCIStaticID]] = [:]

    /// Files read from a module directory, by name.
    public static let fileNames = [
        "modules.alias", "modules.builtin.modinfo", "modules.builtin", "modules.order",
        "modules.dep", "modules.softdep", "modules.symbols",
    ]

    /// Largest table file accepted (a full modules.alias is about 1.3 MB).
    public static let fileSizeLimit = 256 << 20

    public init(directory: String) { self.directory = directory }

    /// Builds the tables from file contents keyed by file name (`modules.alias`...).
    public init(directory: String, files: [String: [UInt8]]) throws(MatchInputError) {
        self.directory = directory
        func path(_ name: String) -> String { directory.isEmpty ? name : directory + "/" + name }
        func text(_ name: String) -> String? { files[name].map { String(decoding: $0, as: UTF8.self) } }
        filesRead = Self.fileNames.filter { files[$0] != nil }
        if let t = text("modules.order") { order = try ModulesOrder.parse(t, file: path("modules.order")) }
        if let t = text("modules.dep") { dep = try ModulesDep.parse(t, file: path("modules.dep")) }
        if let t = text("modules.softdep") {
            softdeps = try ModprobeConfigParser.parse(t, file: path("modules.softdep"), mode: .softdepOnly)
        }
        if let b = files["modules.builtin.modinfo"] { builtinModinfo = try BuiltinModinfo.parse(b, file: path("modules.builtin.modinfo")) }
        if let t = text("modules.builtin") {
            for (_, line) in TextLines(text: t) where !line.trimmingSpaces.isEmpty {
                builtinModules.insert(AliasNormalizer.moduleName(fromPath: line.trimmingSpaces))
            }
        }
        var aliasEntries: [AliasEntry] = []
        if let t = text("modules.alias") {
            let parsed = try ModulesAliasFile.parse(t, file: path("modules.alias"))
            aliasEntries = parsed.entries
            skippedAliases = parsed.skipped
        }
        let (priorities, aliasPriorities) = Self.priorities(order: order, dep: dep, aliasEntries: aliasEntries)
        aliases = AliasIndex(entries: aliasEntries, priorities: aliasPriorities)
        // depmod indexes built-in aliases with priority 0.
        builtinAliases = AliasIndex(entries: builtinModinfo.aliases,
                                    priorities: [UInt32](repeating: 0, count: builtinModinfo.aliases.count))
        if let t = text("modules.symbols") {
            let parsed = try ModulesAliasFile.parse(t, file: path("modules.symbols"))
            symbols = AliasIndex(entries: parsed.entries, priorities: Self.priorities(of: parsed.entries, by: priorities))
        }
    }

    /// Each entry's module's priority (`UInt32.max`: a module depmod did
    /// not rank).
    static func priorities(of entries: [AliasEntry], by priorities: [String: UInt32]) -> [UInt32] {
        perEntry(entries) { priorities[$0] ?? UInt32.max }
    }

    /// `priority` of each entry's module, asked once for a run of entries
    /// of one module: depmod writes a module's aliases together, and each
    /// question is a lookup by name.
    private static func perEntry(_ entries: [AliasEntry], _ priority: (String) -> UInt32) -> [UInt32] {
        var out = [UInt32]()
        out.reserveCapacity(entries.count)
        var previous: (module: String, priority: UInt32)?
        for entry in entries {
            if let previous, previous.module == entry.module {
                out.append(previous.priority)
                continue
            }
            let p = priority(entry.module)
            previous = (entry.module, p)
            out.append(p)
        }
        return out
    }

    /// Reads a module directory through the file-system seam. modules.alias
    /// must exist; the other files are optional.
    public static func load(from fs: any FileSystem, directory: String) throws(MatchInputError) -> ModuleTables {
        var files: [String: [UInt8]] = [:]
        for name in fileNames {
            let path = directory + "/" + name
            guard fs.exists(path) else { continue }
            do {
                files[name] = try fs.readFile(at: path, limit: fileSizeLimit)
            } catch {
                throw MatchInputError(file: path, message: error.reasonText)
            }
        }
        guard files["modules.alias"] != nil else {
            throw MatchInputError(file: directory + "/modules.alias", message: "no such file (run depmod for this kernel?)")
        }
        return try ModuleTables(directory: directory, files: files)
    }

    /// Whether a module is built into the kernel.
    public func isBuiltin(_ module: String) -> Bool {
        builtinModules.contains(module) || builtinModinfo.entries.contains { $0.module == module }
    }

    /// depmod's module order (depmod_modules_sort): modules listed in
    /// modules.order by their last listing, then the rest in depmod's
    /// discovery order (the order of modules.dep, else of modules.alias).
    ///
    /// Every module's sort key is distinct (an order position, a
    /// modules.dep index, or the order of first mention in modules.alias,
    /// in three ranges in that order), so the modules met only in
    /// modules.alias, most of a large one's, rank in the order met without
    /// being sorted.
    ///
    /// Returns the priority of each module, and of each alias entry.
    static func priorities(order: ModulesOrder, dep: ModulesDep, aliasEntries: [AliasEntry])
        -> (byModule: [String: UInt32], ofEntries: [UInt32]) {
        var key: [String: (Int, Int)] = [:]
        key.reserveCapacity(max(dep.ordered.count, order.paths.count))
        let unlisted = 1 << 40
        if !dep.ordered.isEmpty {
            for name in dep.ordered {
                let module = dep.modules[name]!
                if let p = order.position[ModulesDep.uncompressedPath(module.path)] {
                    key[name] = (p, 0)
                } else {
                    key[name] = (unlisted, module.index)
                }
            }
        } else {
            for (position, path) in order.paths.enumerated() {
                key[AliasNormalizer.moduleName(fromPath: path)] = (position, 0)
            }
        }
        let known = key.sorted { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key }
        var result: [String: UInt32] = [:]
        // Every module at most once: growing it rehashed every name.
        result.reserveCapacity(key.count + aliasEntries.count)
        for (rank, item) in known.enumerated() { result[item.key] = UInt32(rank) }
        // The rest, after every known one, as first met (their keys would be
        // (unlisted + 1, first seen)); each module looked up once, ranked or
        // not (the subscript's default, `.max`, is no rank).
        var next = UInt32(known.count)
        let ofEntries = perEntry(aliasEntries) { Self.rank(&result[$0, default: .max], next: &next) }
        return (result, ofEntries)
    }

    /// A module's priority, the next one if it had none (`.max`).
    private static func rank(_ priority: inout UInt32, next: inout UInt32) -> UInt32 {
        if priority == .max {
            priority = next
            next += 1
        }
        return priority
    }
}

extension FileSystemError {
    var reasonText: String {
        switch self.reason {
        case .notFound: "no such file or directory"
        case .permissionDenied: "permission denied"
        case .notADirectory: "not a directory"
        case .isADirectory: "is a directory"
        case .tooLarge(let limit): "larger than \(limit) bytes, refused"
        case .other(let text): text
        }
    }
}
