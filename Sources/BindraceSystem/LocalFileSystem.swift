import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The real file system, through swift-system's descriptors.
public struct LocalFileSystem: FileSystem {
    public init() {}

    public func readFile(at path: String, limit: Int) throws(FileSystemError) -> [UInt8] {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
        } catch {
            throw FileSystemError(path: path, reason: Self.reason(error))
        }
        defer { try? fd.close() }
        // Pseudo-files report size 0, so read until EOF, never past the limit.
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n: Int
            do {
                n = try chunk.withUnsafeMutableBytes { try fd.read(into: $0) }
            } catch {
                throw FileSystemError(path: path, reason: Self.reason(error))
            }
            if n == 0 { break }
            if bytes.count + n > limit { throw FileSystemError(path: path, reason: .tooLarge(limit: limit)) }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    public func contentsOfDirectory(at path: String) throws(FileSystemError) -> [String] {
        guard let dir = opendir(path) else {
            throw FileSystemError(path: path, reason: Self.reason(Errno(rawValue: errno)))
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    public func entryType(at path: String) -> FileEntryType? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    public func readLink(at path: String) throws(FileSystemError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n >= 0 else { throw FileSystemError(path: path, reason: Self.reason(Errno(rawValue: errno))) }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func reason(_ error: any Error) -> FileSystemError.Reason {
        guard let errno = error as? Errno else { return .other("\(error)") }
        switch errno {
        case .noSuchFileOrDirectory: return .notFound
        case .permissionDenied, .notPermitted: return .permissionDenied
        case .notDirectory: return .notADirectory
        case .isDirectory: return .isADirectory
        default: return .other(errno.description)
        }
    }
}
