/// The narrow seam through which bindrace reads files, directories and the
/// kernel's pseudo-files (/sys, /proc). Production code uses `LocalFileSystem`;
/// tests substitute `InMemoryFileSystem`.
public protocol FileSystem: Sendable {
    /// The whole file, refusing files longer than `limit` bytes without
    /// reading them into memory first.
    func readFile(at path: String, limit: Int) throws(FileSystemError) -> [UInt8]
    /// Entry names (without `.` and `..`), sorted bytewise.
    func contentsOfDirectory(at path: String) throws(FileSystemError) -> [String]
    /// What is at `path`, without following a final symlink; nil when nothing is.
    func entryType(at path: String) -> FileEntryType?
    /// A symlink's target, verbatim.
    func readLink(at path: String) throws(FileSystemError) -> String
}

public enum FileEntryType: Sendable, Hashable {
    case regular
    case directory
    case symlink
    case other
}

extension FileSystem {
    /// The file as UTF-8 text (invalid sequences replaced).
    public func readText(at path: String, limit: Int = 64 << 20) throws(FileSystemError) -> String {
        String(decoding: try readFile(at: path, limit: limit), as: UTF8.self)
    }

    public func exists(_ path: String) -> Bool { entryType(at: path) != nil }

    /// Whether `path` is a directory, following symlinks the way `stat` does.
    public func isDirectory(_ path: String) -> Bool {
        switch entryType(at: path) {
        case .directory: return true
        case .symlink: return (try? contentsOfDirectory(at: path)) != nil
        default: return false
        }
    }
}
