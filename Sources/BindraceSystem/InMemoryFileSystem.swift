/// A file tree held in memory, for tests: files, directories (implied by the
/// files under them) and symlinks.
public struct InMemoryFileSystem: FileSystem {
    public var files: [String: [UInt8]]
    public var symlinks: [String: String]

    public init(files: [String: String] = [:], symlinks: [String: String] = [:]) {
        self.files = files.mapValues { Array($0.utf8) }
        self.symlinks = symlinks
    }

    public mutating func write(_ text: String, to path: String) {
        files[Self.normalize(path)] = Array(text.utf8)
    }

    public func readFile(at path: String, limit: Int) throws(FileSystemError) -> [UInt8] {
        let key = Self.normalize(path)
        if let target = symlinks[key] { return try readFile(at: resolve(target, from: key), limit: limit) }
        guard let bytes = files[key] else {
            throw FileSystemError(path: path, reason: isDirectoryKey(key) ? .isADirectory : .notFound)
        }
        if bytes.count > limit { throw FileSystemError(path: path, reason: .tooLarge(limit: limit)) }
        return bytes
    }

    public func contentsOfDirectory(at path: String) throws(FileSystemError) -> [String] {
        var key = Self.normalize(path)
        if let target = symlinks[key] { key = Self.normalize(resolve(target, from: key)) }
        if files[key] != nil { throw FileSystemError(path: path, reason: .notADirectory) }
        let prefix = key == "/" ? "/" : key + "/"
        var names = Set<String>()
        for candidate in Array(files.keys) + Array(symlinks.keys) where candidate.hasPrefix(prefix) {
            let rest = candidate.dropFirst(prefix.count)
            if let name = rest.split(separator: "/").first { names.insert(String(name)) }
        }
        if names.isEmpty { throw FileSystemError(path: path, reason: .notFound) }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    public func entryType(at path: String) -> FileEntryType? {
        let key = Self.normalize(path)
        if symlinks[key] != nil { return .symlink }
        if files[key] != nil { return .regular }
        return isDirectoryKey(key) ? .directory : nil
    }

    public func readLink(at path: String) throws(FileSystemError) -> String {
        guard let target = symlinks[Self.normalize(path)] else {
            throw FileSystemError(path: path, reason: .other("not a symbolic link"))
        }
        return target
    }

    private func isDirectoryKey(_ key: String) -> Bool {
        let prefix = key == "/" ? "/" : key + "/"
        return files.keys.contains { $0.hasPrefix(prefix) } || symlinks.keys.contains { $0.hasPrefix(prefix) }
    }

    private func resolve(_ target: String, from link: String) -> String {
        if target.hasPrefix("/") { return target }
        let parent = link.split(separator: "/").dropLast().joined(separator: "/")
        return Self.normalize("/" + parent + "/" + target)
    }

    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}
