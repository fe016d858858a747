/// A sliding window over a byte source: `fill(n)` makes up to `n` bytes
/// available without reading more than it must, so memory stays bounded by
/// the largest single request. A source whose bytes are already in memory is
/// the window itself: nothing is buffered or copied.
struct BufferedInput<Source: ByteSource> {
    var source: Source
    /// The source's own memory, for a contiguous source.
    private let region: UnsafeRawBufferPointer?
    private var buffer: [UInt8] = []
    private var start = 0
    private var end = 0
    private var atEnd = false
    /// File offset of the first available byte.
    private(set) var offset = 0

    /// Reads grow from 64 KiB to 1 MiB: large reads for long files, small
    /// allocations for short inputs.
    static var minimumReadSize: Int { 64 << 10 }
    static var maximumReadSize: Int { 1 << 20 }

    init(source: Source) {
        self.source = source
        if let contiguous = source as? any ContiguousByteSource {
            let bytes = contiguous.contiguousBytes
            region = bytes
            end = bytes.count
            atEnd = true
        } else {
            region = nil
        }
    }

    var available: Int { end - start }

    /// Reads until `count` bytes are available or the source ends.
    mutating func fill(_ count: Int) throws(TraceError) {
        guard available < count, !atEnd else { return }
        let wanted = max(count, min(Self.maximumReadSize, max(Self.minimumReadSize, buffer.count * 2)))
        if buffer.count - start < wanted {
            // Slide what is left to the front, growing only as far as asked.
            var grown = [UInt8](repeating: 0, count: max(wanted, buffer.count))
            grown.withUnsafeMutableBytes { dst in
                buffer.withUnsafeBytes { src in
                    if available > 0 { dst.baseAddress!.copyMemory(from: src.baseAddress! + start, byteCount: available) }
                }
            }
            buffer = grown
            end = available
            start = 0
        }
        while available < count {
            let capacity = buffer.count - end
            let n: Int
            do {
                n = try buffer.withUnsafeMutableBytes { b in
                    try source.read(into: UnsafeMutableRawBufferPointer(rebasing: b[end..<(end + capacity)]))
                }
            } catch {
                throw TraceError(offset: offset + available, message: "read error: \(error)")
            }
            if n == 0 {
                atEnd = true
                return
            }
            end += n
        }
    }

    mutating func consume(_ count: Int) {
        precondition(count <= available)
        start += count
        offset += count
    }

    func withAvailable<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        let s = start, e = end
        if let region { return body(UnsafeRawBufferPointer(rebasing: region[s..<e])) }
        return buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[s..<e])) }
    }
}
