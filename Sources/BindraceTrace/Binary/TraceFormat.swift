/// Constants of the binary trace format (docs/trace-format.md is the
/// normative description; this file and that one must agree).
public enum TraceFormat {
    /// First 8 bytes of every trace file.
    public static let magic: [UInt8] = Array("BINDRACE".utf8)
    public static let majorVersion: UInt16 = 1
    public static let minorVersion: UInt16 = 0
    public static let headerSize = 32
    public static let chunkHeaderSize = 32
    /// Every chunk starts with these 4 bytes; a reader resynchronises on them.
    public static let chunkSync: [UInt8] = Array("CHNK".utf8)
    /// Chunks and the header are padded so every chunk starts 8-byte aligned.
    public static let alignment = 8
    /// The largest payload a reader accepts; larger declared lengths are damage.
    public static let maxPayloadLength = 64 << 20
    public static let defaultEventsPerChunk = 4096
    /// Upper bound on a header's events-per-chunk, so a chunk of events always
    /// fits under `maxPayloadLength`.
    public static let maxEventsPerChunk = 1 << 16

    /// An events payload's declared record count (nil: too short to hold
    /// one) and whether that many records of `recordSize` bytes fill the
    /// rest exactly; the records are read only if they do.
    static func eventRecordCount(in payload: UnsafeRawBufferPointer, recordSize: Int) -> (declared: Int, fits: Bool)? {
        guard payload.count >= 8 else { return nil }
        let count = Int(UInt32(littleEndian: payload.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
        return (count, count <= (payload.count - 8) / recordSize && 8 + count * recordSize == payload.count)
    }
}

/// The four-character chunk types.
public enum ChunkType: Hashable, Sendable {
    case strings
    case events
    case snapshot
    case end
    case unknown(UInt32)

    public init(code: UInt32) {
        switch code {
        case ChunkType.code("STRS"): self = .strings
        case ChunkType.code("EVTS"): self = .events
        case ChunkType.code("SNAP"): self = .snapshot
        case ChunkType.code("END "): self = .end
        default: self = .unknown(code)
        }
    }

    public var code: UInt32 {
        switch self {
        case .strings: ChunkType.code("STRS")
        case .events: ChunkType.code("EVTS")
        case .snapshot: ChunkType.code("SNAP")
        case .end: ChunkType.code("END ")
        case .unknown(let code): code
        }
    }

    /// The type's four characters, printable ones only.
    public var name: String {
        let bytes = withUnsafeBytes(of: code.littleEndian) { Array($0) }
        return String(bytes.map { (0x20...0x7E).contains($0) ? Character(UnicodeScalar($0)) : "?" })
    }

    /// Four ASCII characters read as a little-endian u32, so they appear in
    /// file order in a hex dump.
    static func code(_ text: StaticString) -> UInt32 {
        precondition(text.utf8CodeUnitCount == 4)
        let p = text.utf8Start
        return UInt32(p[0]) | UInt32(p[1]) << 8 | UInt32(p[2]) << 16 | UInt32(p[3]) << 24
    }
}
