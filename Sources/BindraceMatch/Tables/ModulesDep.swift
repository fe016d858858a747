/// modules.dep: `path: dep-path dep-path...`, one line per module, in depmod's
/// module order. Gives each module's file and its hard dependencies (which
/// kmod loads first, deepest first, as listed).
public struct ModulesDep: Sendable {
    public struct Module: Hashable, Sendable {
        public var name: String
        /// Relative to the module directory (or absolute, as written).
        public var path: String
        public var dependencies: [String]
        /// 0-based line index among module lines.
        public var index: Int
    }

    public var modules: [String: Module] = [:]
    public var ordered: [String] = []

    public init() {}

    public static func parse(_ text: String, file: String) throws(MatchInputError) -> ModulesDep {
        var dep = ModulesDep()
        for (number, line) in TextLines(text: text) {
            let trimmed = line.trimmingSpaces
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let colon = trimmed.firstIndex(of: ":") else {
                throw MatchInputError(file: file, line: number, message: "expected 'path: dependencies', no ':' found")
            }
            let path = String(trimmed[..<colon]).trimmingSpacesString
            guard !path.isEmpty else {
                throw MatchInputError(file: file, line: number, message: "empty module path before ':'")
            }
            let deps = TextLines.fields(trimmed[trimmed.index(after: colon)...]).map(String.init)
            let name = AliasNormalizer.moduleName(fromPath: path)
            if dep.modules[name] == nil { dep.ordered.append(name) }
            dep.modules[name] = Module(name: name, path: path, dependencies: deps, index: dep.ordered.count - 1)
        }
        return dep
    }

    /// The module's path without a compression suffix, as depmod keys
    /// modules.order (`uncrelpath`).
    public static func uncompressedPath(_ path: String) -> String {
        for suffix in [".xz", ".zst", ".gz"] where path.hasSuffix(".ko" + suffix) {
            return String(path.dropLast(suffix.count))
        }
        return path
    }
}

extension String {
    var trimmingSpacesString: String { String(Substring(self).trimmingSpaces) }
}
