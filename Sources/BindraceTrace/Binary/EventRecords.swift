/// The records of one intact events chunk, read in place. Valid only inside
/// the visitor that receives it: the memory belongs to the reader.
///
/// Every stored record is here, including kinds this version does not know
/// (a newer writer's). The consumer skips those itself, with `isKnown(at:)`
/// or `records[i].kind == nil`; the reader has already counted and reported them.
public struct EventRecords {
    /// The chunk's sequence number (for JSONL, the number of the chunk it was grouped into).
    public let chunk: Int
    /// Where the records lie.
    public let span: RecordSpan
    /// The trace's strings as read so far: every string a record of this chunk
    /// names is defined before the chunk.
    public let strings: StringTable
    /// Kept here so the consumer's per-record test is inlined and reads no global.
    @usableFromInline let known = KnownEventKinds.all

    init(chunk: Int, offset: Int, count: Int, base: UnsafeRawPointer, stride: Int, strings: StringTable,
         lines: UnsafeBufferPointer<Int> = UnsafeBufferPointer(start: nil, count: 0)) {
        self.chunk = chunk
        span = RecordSpan(offset: offset, count: count, base: base, stride: stride, lines: lines)
        self.strings = strings
    }

    /// Byte offset of the chunk header in the file (for JSONL, the first event's line).
    @inlinable public var offset: Int { span.offset }
    /// Records stored, including kinds this version does not know.
    @inlinable public var count: Int { span.count }
    /// The first record.
    @inlinable public var base: UnsafeRawPointer { span.base }
    /// Bytes from one record to the next: the header's record size (at least `RawEvent.size`).
    @inlinable public var stride: Int { span.stride }
    /// Bytes the records take, from the first.
    @inlinable public var byteCount: Int { span.count &* span.stride }

    /// Record `i`, decoded (whatever its kind).
    @inlinable
    public subscript(i: Int) -> RawEvent { span[i] }

    /// Record `i`, read field by field where it lies.
    @inlinable
    public func view(at i: Int) -> RecordView { span.view(at: i) }

    /// The kind byte of record `i`, without decoding the rest.
    @inlinable
    public func kindByte(at i: Int) -> UInt8 { span.kindByte(at: i) }

    /// True when record `i` is of a kind this version knows.
    @inlinable
    public func isKnown(at i: Int) -> Bool { known.contains(kindByte(at: i)) }

    /// Where record `i` is: its JSONL line, or the chunk's offset.
    @inlinable
    public func location(of i: Int) -> Int { span.location(of: i) }
}
