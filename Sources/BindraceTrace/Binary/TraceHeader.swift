/// The 32-byte file header.
public struct TraceHeader: Hashable, Sendable {
    public var majorVersion: UInt16
    public var minorVersion: UInt16
    /// Bytes from the start of the file to the first chunk (≥ 32, a multiple of 8).
    public var headerSize: Int
    /// Bytes per event record (≥ 48, a multiple of 8). Readers of this version
    /// use the first 48 bytes of longer records.
    public var recordSize: Int
    /// How many events the writer puts in a full chunk.
    public var eventsPerChunk: Int
    public var flags: UInt32

    public init(eventsPerChunk: Int = TraceFormat.defaultEventsPerChunk) {
        majorVersion = TraceFormat.majorVersion
        minorVersion = TraceFormat.minorVersion
        headerSize = TraceFormat.headerSize
        recordSize = RawEvent.size
        self.eventsPerChunk = eventsPerChunk
        flags = 0
    }

    func encoded() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: TraceFormat.headerSize)
        bytes.withUnsafeMutableBytes { p in
            p.copyBytes(from: TraceFormat.magic)
            p.storeBytes(of: majorVersion.littleEndian, toByteOffset: 8, as: UInt16.self)
            p.storeBytes(of: minorVersion.littleEndian, toByteOffset: 10, as: UInt16.self)
            p.storeBytes(of: UInt32(headerSize).littleEndian, toByteOffset: 12, as: UInt32.self)
            p.storeBytes(of: UInt32(recordSize).littleEndian, toByteOffset: 16, as: UInt32.self)
            p.storeBytes(of: UInt32(eventsPerChunk).littleEndian, toByteOffset: 20, as: UInt32.self)
            p.storeBytes(of: flags.littleEndian, toByteOffset: 24, as: UInt32.self)
            let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: p[0..<28]))
            p.storeBytes(of: crc.littleEndian, toByteOffset: 28, as: UInt32.self)
        }
        return bytes
    }

    /// Decodes the fixed 32 bytes; throws only for what makes the rest of the
    /// file unreadable. A checksum mismatch is reported through `damage`.
    static func decode(_ p: UnsafeRawBufferPointer, damage: inout [TraceDiagnostic]) throws(TraceError) -> TraceHeader {
        guard p.starts(with: TraceFormat.magic.prefix(p.count)) else {
            throw TraceError(offset: 0, message: "not a bindrace binary trace (bad magic)")
        }
        guard p.count >= TraceFormat.headerSize else {
            throw TraceError(offset: 0, message: "file is \(p.count) bytes, too short for the \(TraceFormat.headerSize)-byte bindrace header")
        }
        guard p[0..<8].elementsEqual(TraceFormat.magic) else {
            throw TraceError(offset: 0, message: "not a bindrace binary trace (bad magic)")
        }
        var header = TraceHeader()
        header.majorVersion = UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
        header.minorVersion = UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 10, as: UInt16.self))
        let stored = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 28, as: UInt32.self))
        let computed = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: p[0..<28]))
        guard stored == computed else {
            // Keep going with this version's layout: the chunks carry their own checksums.
            damage.append(TraceDiagnostic(severity: .damage, offset: 0, message: "header checksum mismatch; assuming format 1.0 with \(RawEvent.size)-byte records"))
            return TraceHeader()
        }
        guard header.majorVersion == TraceFormat.majorVersion else {
            throw TraceError(offset: 8, message: "format version \(header.majorVersion).\(header.minorVersion) is not supported (this bindrace reads \(TraceFormat.majorVersion).x)")
        }
        let headerSize = Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 12, as: UInt32.self)))
        let recordSize = Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 16, as: UInt32.self)))
        let perChunk = Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 20, as: UInt32.self)))
        guard headerSize >= TraceFormat.headerSize, headerSize <= 4096, headerSize % TraceFormat.alignment == 0 else {
            throw TraceError(offset: 12, message: "header size \(headerSize) is invalid")
        }
        guard recordSize >= RawEvent.size, recordSize <= 1024, recordSize % TraceFormat.alignment == 0 else {
            throw TraceError(offset: 16, message: "event record size \(recordSize) is invalid")
        }
        guard perChunk >= 1, perChunk <= TraceFormat.maxEventsPerChunk else {
            throw TraceError(offset: 20, message: "events per chunk \(perChunk) is outside 1...\(TraceFormat.maxEventsPerChunk)")
        }
        header.headerSize = headerSize
        header.recordSize = recordSize
        header.eventsPerChunk = perChunk
        header.flags = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 24, as: UInt32.self))
        return header
    }
}
