@testable import BindraceTrace

/// Takes a binary trace apart into chunks and puts it back together with
/// correct checksums, so tests can plant exactly the damage they want.
struct ChunkSurgery {
    struct Chunk {
        var type: ChunkType
        var payload: [UInt8]
        /// Overrides for planting lies the checksums cannot catch.
        var declaredLength: UInt64?
        var sequence: UInt32?
    }

    var header: [UInt8]
    var chunks: [Chunk]

    init(_ bytes: [UInt8]) {
        header = Array(bytes[0..<TraceFormat.headerSize])
        chunks = []
        var offset = TraceFormat.headerSize
        while offset + TraceFormat.chunkHeaderSize <= bytes.count {
            let parsed = bytes[offset...].withUnsafeBytes { ChunkHeader.decode($0)! }
            let start = offset + TraceFormat.chunkHeaderSize
            chunks.append(Chunk(type: parsed.type, payload: Array(bytes[start..<(start + Int(parsed.payloadLength))])))
            offset = start + parsed.paddedPayloadLength
        }
    }

    /// File offset of each chunk's header.
    var offsets: [Int] {
        var result: [Int] = []
        var offset = TraceFormat.headerSize
        for chunk in chunks {
            result.append(offset)
            offset += TraceFormat.chunkHeaderSize + ((chunk.payload.count + 7) & ~7)
        }
        return result
    }

    func bytes() -> [UInt8] {
        var out = header
        for (index, chunk) in chunks.enumerated() {
            let padded = (chunk.payload.count + 7) & ~7
            var headerBytes = [UInt8](repeating: 0, count: TraceFormat.chunkHeaderSize)
            let checksum = CRC32C.checksum(chunk.payload)
            headerBytes.withUnsafeMutableBytes {
                ChunkHeader(type: chunk.type, payloadLength: chunk.declaredLength ?? UInt64(chunk.payload.count),
                            sequence: chunk.sequence ?? UInt32(index), payloadChecksum: checksum).store(to: $0)
            }
            out += headerBytes + chunk.payload + [UInt8](repeating: 0, count: padded - chunk.payload.count)
        }
        return out
    }
}
