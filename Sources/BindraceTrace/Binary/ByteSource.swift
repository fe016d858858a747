/// Where a reader gets bytes: a file descriptor, a pipe, memory. Reads may
/// return fewer bytes than asked; 0 means the end. (A sendable metatype:
/// the reading thread of the streaming replay is generic over its source.)
public protocol ByteSource: SendableMetatype {
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Bytes already in memory.
public struct MemoryByteSource: ByteSource {
    public let bytes: [UInt8]
    public private(set) var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - position)
        if n > 0 {
            bytes.withUnsafeBytes { src in
                buffer.baseAddress!.copyMemory(from: src.baseAddress! + position, byteCount: n)
            }
            position += n
        }
        return n
    }
}
