/// A failed file-system operation, naming the path.
public struct FileSystemError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        case notFound
        case permissionDenied
        case notADirectory
        case isADirectory
        case tooLarge(limit: Int)
        case other(String)
    }

    public var path: String
    public var reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .notFound: "\(path): no such file or directory"
        case .permissionDenied: "\(path): permission denied"
        case .notADirectory: "\(path): not a directory"
        case .isADirectory: "\(path): is a directory"
        case .tooLarge(let limit): "\(path): larger than \(limit) bytes, refused"
        case .other(let text): "\(path): \(text)"
        }
    }
}
