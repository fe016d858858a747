/// Where a chunk's records lie, without the trace's strings: their memory,
/// stride and count, and where each one is in the file. `EventRecords`
/// reads through one; a consumer that keeps records past the visit (the
/// step stage of the streaming replay, reading a mapped file after the
/// clock stage) keeps only this, valid as long as that memory is.
public struct RecordSpan {
    /// Byte offset of the chunk header in the file (for JSONL, the first event's line).
    public let offset: Int
    /// Records stored, including kinds this version does not know.
    public let count: Int
    /// The first record.
    public let base: UnsafeRawPointer
    /// Bytes from one record to the next: the header's record size (at least `RawEvent.size`).
    public let stride: Int
    /// For JSONL: each record's line. Empty for binary.
    @usableFromInline let lines: UnsafeBufferPointer<Int>

    init(offset: Int, count: Int, base: UnsafeRawPointer, stride: Int, lines: UnsafeBufferPointer<Int>) {
        self.offset = offset
        self.count = count
        self.base = base
        self.stride = stride
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
        return RecordView(base + i &* stride).kindByte
    }

    /// Record `i`, read field by field where it lies.
    @inlinable
    public func view(at i: Int) -> RecordView {
        precondition(UInt(bitPattern: i) < UInt(bitPattern: count), "record index out of range")
        return RecordView(base + i &* stride)
    }

    /// Where record `i` is: its JSONL line, or the chunk's offset.
    @inlinable
    public func location(of i: Int) -> Int { i < lines.count ? lines[i] : offset }
}
