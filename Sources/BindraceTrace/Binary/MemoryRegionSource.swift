/// Bytes that are already mapped or in memory, read in place. The caller
/// keeps the memory valid and unchanged for as long as the source or a
/// reader over it is in use.
public struct MemoryRegionSource: ContiguousByteSource {
    public let bytes: UnsafeRawBufferPointer
    public private(set) var position = 0

    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    public var contiguousBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[position...])
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - position)
        if n > 0 {
            buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + position, byteCount: n)
            position += n
        }
        return n
    }
}
