/// Another file system seen from a directory, as if it were `/`: for an
/// extracted system tree given with `--root`.
public struct RootedFileSystem<Base: FileSystem>: FileSystem {
    public let base: Base
    public let root: String

    public init(base: Base, root: String) {
        self.base = base
        self.root = root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    func map(_ path: String) -> String { root + (path.hasPrefix("/") ? path : "/" + path) }

    public func readFile(at path: String, limit: Int) throws(FileSystemError) -> [UInt8] {
        try base.readFile(at: map(path), limit: limit)
    }

    public func contentsOfDirectory(at path: String) throws(FileSystemError) -> [String] {
        try base.contentsOfDirectory(at: map(path))
    }

    public func entryType(at path: String) -> FileEntryType? { base.entryType(at: map(path)) }

    public func readLink(at path: String) throws(FileSystemError) -> String { try base.readLink(at: map(path)) }
}
