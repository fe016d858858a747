/// Where a writer puts bytes. The trace writer hands over each chunk in one
/// call, so a sink that writes straight to a file leaves whole chunks behind
/// when the process dies.
public protocol ByteSink {
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws
}

/// Collects the bytes in memory.
public struct MemoryByteSink: ByteSink {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        self.bytes.append(contentsOf: bytes)
    }
}
