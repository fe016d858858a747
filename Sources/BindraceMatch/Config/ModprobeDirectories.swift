import BindraceSystem

/// Where modprobe.d files come from and in which order kmod reads them
/// (libkmod-config.c, conf_files_list / conf_files_insert_sorted): all files
/// of all directories merged into one list sorted by file name; a name seen in
/// an earlier directory hides the same name in later ones; only `*.conf` and
/// `*.alias` files, no dot files, no subdirectories.
public enum ModprobeDirectories {
    /// kmod 30's search path (libkmod.c default_config_paths), plus
    /// /usr/lib/modprobe.d that newer kmod reads and that merged-/usr systems
    /// share with /lib/modprobe.d.
    public static let defaultPaths = [
        "/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d", "/lib/modprobe.d", "/usr/lib/modprobe.d",
    ]

    public struct File: Hashable, Sendable {
        public var path: String
        public var name: String
        /// Paths of same-named files this one hides.
        public var shadows: [String] = []
    }

    /// The files kmod would read, in reading order. A path may be a single file.
    public static func list(in fs: any FileSystem, paths: [String]) -> [File] {
        var byName: [String: File] = [:]
        for path in paths {
            switch fs.entryType(at: path) {
            case .regular?:
                let name = path.split(separator: "/").last.map(String.init) ?? path
                add(File(path: path, name: name), to: &byName)
            case .directory?, .symlink?:
                guard let names = try? fs.contentsOfDirectory(at: path) else { continue }
                for name in names where accepts(name) {
                    let full = path + "/" + name
                    if fs.isDirectory(full) { continue }
                    add(File(path: full, name: name), to: &byName)
                }
            default:
                continue
            }
        }
        return byName.values.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    static func add(_ file: File, to byName: inout [String: File]) {
        if byName[file.name] != nil {
            byName[file.name]!.shadows.append(file.path)
        } else {
            byName[file.name] = file
        }
    }

    /// conf_files_filter_out.
    static func accepts(_ name: String) -> Bool {
        if name.hasPrefix(".") { return false }
        return name.utf8.count >= 6 && (name.hasSuffix(".conf") || name.hasSuffix(".alias"))
    }

    /// Reads and parses the files, in order, into one configuration. When the
    /// module directory's modules.softdep is given it takes its place in the
    /// name order (kmod inserts it into the same sorted list).
    public static func load(
        from fs: any FileSystem, paths: [String], moduleSoftdeps: ModprobeConfig? = nil
    ) throws(MatchInputError) -> (config: ModprobeConfig, files: [File]) {
        let files = list(in: fs, paths: paths)
        var config = ModprobeConfig()
        var softdepsPending = moduleSoftdeps
        for file in files {
            if let pending = softdepsPending, "modules.softdep".utf8.lexicographicallyPrecedes(file.name.utf8) {
                config.append(pending)
                softdepsPending = nil
            }
            let bytes: [UInt8]
            do {
                bytes = try fs.readFile(at: file.path, limit: 16 << 20)
            } catch {
                throw MatchInputError(file: file.path, message: error.reasonText)
            }
            config.append(try ModprobeConfigParser.parse(String(decoding: bytes, as: UTF8.self), file: file.path))
        }
        if let pending = softdepsPending { config.append(pending) }
        return (config, files)
    }
}
