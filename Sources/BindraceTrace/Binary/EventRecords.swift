/// The records of one intact events chunk, read in place. Valid only inside
/// the visitor that receives it: the memory belongs to the reader.
///
/// Every stored record is here, including kinds this version does not know
/// (a newer writer's). The consumer skips those itself, with `isKnown(at:)`
/// or `records[i].kind == nil`; the reader has already counted and reported them.
public struct EventRecords {
    /// The chunk's sequence number (for JSONL, the number of the chunk it was grouped into).
    public let chunk: Int
    /// Byte offset of the chunk header in the file (for JSONL, the first event's line).
    public let offset: Int
    /// Records stored, including kinds this version does not know.
    public let count: Int
    /// The first record.
    public let base: UnsafeRawPointer
    /// Bytes from one record to the next: the header's record size (at least `RawEvent.size`).
    public let stride: Int
    /// The trace's strings as read so far: every string a record of this chunk
    /// names is defined before the chunk.
    public let strings: StringTable
    /// For JSONL: each record's line. Empty for binary.
    @usableFromInline let lines: UnsafeBufferPointer<Int>
    /// Kept here so the consumer's per-record test is inlined and reads no global.
    @usableFromInline let known = KnownEventKinds.all

    init(chunk: Int, offset: Int, count: Int, base: UnsafeRawPointer, stride: Int, strings: StringTable,
         lines: UnsafeBufferPointer<Int> = UnsafeBufferPointer(start: nil, count: 0)) {
        self.chunk = chunk
        self.offset = offset
        self.count = count
        self.base = base
        self.stride = stride
        self.strings = strings
        self.lines = lines
    }

    /// Record `i`, decoded (whatever its kind).
    @inlinable
    public subscript(i: Int) -> RawEvent {
        precondition(UInt(bitPattern: i) < UInt(bitPattern: count), "record index out of range")
        return RawEvent(loadingFrom: base + i &* stride)
    }

    /// The kind byte of record `i`, without decoding the rest.
    @inlinable
    public func kindByte(at i: Int) -> UInt8 {
        precondition(UInt(bitPattern: i) < UInt(bitPattern: count), "record index out of range")
        return base.load(fromByteOffset: i &* stride &+ 22, as: UInt8.self)  // the layout of RawEvent(loadingFrom:)
    }

    /// True when record `i` is of a kind this version knows.
    @inlinable
    public func isKnown(at i: Int) -> Bool { known.contains(kindByte(at: i)) }

    /// For JSONL: each record's line (`location(of:)`). Empty for binary.
    public var lineNumbers: UnsafeBufferPointer<Int> { lines }

    /// Where record `i` is: its JSONL line, or the chunk's offset.
    @inlinable
    public func location(of i: Int) -> Int { i < lines.count ? lines[i] : offset }
}
