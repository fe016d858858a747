/// The 32-byte header in front of every chunk.
struct ChunkHeader: Hashable, Sendable {
    var type: ChunkType
    /// Payload bytes, without the padding that follows to the next 8-byte boundary.
    var payloadLength: UInt64
    /// 0 for the first chunk, then +1 per chunk: a gap names the lost chunks.
    var sequence: UInt32
    var payloadChecksum: UInt32

    var paddedPayloadLength: Int { Int(payloadLength + 7) & ~7 }

    /// The payload is no longer than the format allows (a longer one is a damaged length).
    var payloadWithinLimit: Bool { payloadLength <= UInt64(TraceFormat.maxPayloadLength) }

    /// Whether `payload` (the payload's bytes, without padding) matches the declared checksum.
    func matches(payload: UnsafeRawBufferPointer) -> Bool { CRC32C.checksum(payload) == payloadChecksum }

    func store(to p: UnsafeMutableRawBufferPointer) {
        p.copyBytes(from: TraceFormat.chunkSync)
        p.storeBytes(of: type.code.littleEndian, toByteOffset: 4, as: UInt32.self)
        p.storeBytes(of: payloadLength.littleEndian, toByteOffset: 8, as: UInt64.self)
        p.storeBytes(of: sequence.littleEndian, toByteOffset: 16, as: UInt32.self)
        p.storeBytes(of: payloadChecksum.littleEndian, toByteOffset: 20, as: UInt32.self)
        p.storeBytes(of: UInt32(0), toByteOffset: 24, as: UInt32.self)
        let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: p[0..<28]))
        p.storeBytes(of: crc.littleEndian, toByteOffset: 28, as: UInt32.self)
    }

    /// nil unless the sync bytes and the header checksum are right.
    static func decode(_ p: UnsafeRawBufferPointer) -> ChunkHeader? {
        guard p.count >= TraceFormat.chunkHeaderSize, p[0..<4].elementsEqual(TraceFormat.chunkSync) else { return nil }
        let stored = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 28, as: UInt32.self))
        guard stored == CRC32C.checksum(UnsafeRawBufferPointer(rebasing: p[0..<28])) else { return nil }
        return ChunkHeader(
            type: ChunkType(code: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt32.self))),
            payloadLength: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            sequence: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 16, as: UInt32.self)),
            payloadChecksum: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 20, as: UInt32.self)))
    }
}
