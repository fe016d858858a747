#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BindraceTrace

/// The memory-speed limit of a pass over a trace: map the file, walk the
/// chunk headers, read every record of every events chunk and fold one
/// field of it. No checksums, no decoding, nothing kept.
enum RawScan {
    /// Events seen and the folded tids.
    static func run(_ path: String) throws(InputFailure) -> (events: Int, fold: UInt32) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw InputFailure("\(path): cannot open") }
        defer { close(fd) }
        var st = stat()
        fstat(fd, &st)
        let size = Int(st.st_size)
        guard size >= TraceFormat.headerSize, let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED else {
            throw InputFailure("\(path): cannot map")
        }
        defer { munmap(map, size) }
        let base = UnsafeRawPointer(map)
        guard UnsafeRawBufferPointer(start: base, count: TraceFormat.magic.count).elementsEqual(TraceFormat.magic) else {
            throw InputFailure("\(path): offset 0: not a bindrace binary trace (bad magic)")
        }
        let recordSize = RawEvent.size
        let headerSize = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 12, as: UInt32.self)))
        var offset = max(TraceFormat.headerSize, headerSize <= 4096 ? headerSize : TraceFormat.headerSize)
        let events = ChunkType.events.code
        var count = 0
        var fold: UInt32 = 0
        while offset + TraceFormat.chunkHeaderSize <= size {
            let type = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
            let stored = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
            let payload = offset + TraceFormat.chunkHeaderSize
            // A damaged length ends the scan (the reader names the damage).
            guard stored <= UInt64(size - payload) else { break }
            let length = Int(stored)
            if type == events, length >= 8 {
                let n = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: payload, as: UInt32.self)))
                var p = base + payload + 8
                for _ in 0..<min(n, (length - 8) / recordSize) {
                    fold ^= UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
                    p += recordSize
                }
                count += n
            }
            offset = payload + ((length + 7) & ~7)
        }
        return (count, fold)
    }
}
