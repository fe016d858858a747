/// An alias pattern as kmod searches it in its index: the bytes before the
/// first `*`, `?` or `[` are compared literally (the index trie walks them),
/// the rest is handed to fnmatch(3) with flags 0 (libkmod-index.c,
/// index_mm_searchwild_node / index_mm_searchwild_all).
public struct KmodGlob: Hashable, Sendable, CustomStringConvertible {
    /// The normalized pattern text.
    public let bytes: [UInt8]
    /// Length of the literal prefix (== bytes.count when there is no wildcard).
    public let literalCount: Int

    public init(normalized text: String) {
        self.init(bytes: Array(text.utf8))
    }

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        self.literalCount = bytes.firstIndex(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }) ?? bytes.count
    }

    public var description: String { String(decoding: bytes, as: UTF8.self) }
    public var hasWildcard: Bool { literalCount < bytes.count }

    /// Number of `*` in the pattern: libvirt's measure of how generic a
    /// vfio_pci alias is.
    public var starCount: Int { bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "*") ? 1 : 0) } }

    public func matches(_ key: [UInt8]) -> Bool {
        key.withUnsafeBufferPointer { matches($0) }
    }

    public func matches(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard key.count >= literalCount else { return false }
        return bytes.withUnsafeBufferPointer { pattern in
            for i in 0..<literalCount where pattern[i] != key[i] { return false }
            if literalCount == pattern.count { return key.count == literalCount }
            return FNMatch.matches(
                pattern: UnsafeBufferPointer(rebasing: pattern[literalCount...]),
                string: UnsafeBufferPointer(rebasing: key[literalCount...]))
        }
    }
}
